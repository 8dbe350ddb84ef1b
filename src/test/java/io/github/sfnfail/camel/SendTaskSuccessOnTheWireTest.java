package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.sfnfail.camel.success.SfnSuccessEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.KmsAccessDeniedException;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * aws-sfn-success on the wire: one signed SendTaskSuccess with the body as output, JSON text verbatim and objects
 * written as JSON; output Step Functions would refuse never leaves; closed tasks and lost replies as for failures.
 */
class SendTaskSuccessOnTheWireTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:succeed").to("aws-sfn-success:worker");
                from("direct:retried").to("aws-sfn-success:retried?maxAttempts=2");
                from("direct:ignoring").to("aws-sfn-success:ignoring?ignoreClosedTask=true");
            }
        };
    }

    @Test
    void sendsOneSignedSendTaskSuccessWithJsonTextVerbatim() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok-1")));
        String output = "{\"order\" : \"o-1\", \"reserved\": [1, 2.50, true],\n \"note\":\"é \\u00e9\"}";

        Exchange result = succeed("direct:succeed", output);

        assertThat(result.getException()).isNull();
        SFN.verify(1, requested(SUCCESS_TARGET)
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.0"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/\\d{8}/" + REGION
                                                      + "/states/aws4_request, SignedHeaders=.*x-amz-target.*, "
                                                      + "Signature=[0-9a-f]{64}")));
        String body = SFN.findAll(requested(SUCCESS_TARGET)).get(0).getBodyAsString();
        assertThat(body).isEqualTo("{\"taskToken\":\"" + TOKEN + "\",\"output\":\"" + output.replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n") + "\"}");
        assertThat(result.getMessage().getBody()).isInstanceOf(SendTaskSuccessResponse.class);
        assertThat(result.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("ok-1");
    }

    @Test
    void aMapBodyIsWrittenAsJson() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok-map")));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("order", "o-2");
        result.put("items", List.of(1, 2));
        result.put("paid", true);

        succeed("direct:succeed", result);

        assertThat(sentOutput()).isEqualTo("{\"order\":\"o-2\",\"items\":[1,2],\"paid\":true}");
    }

    record Reservation(String order, int quantity) {
    }

    @Test
    void anyOtherObjectIsWrittenAsJsonByJacksonWhenTheApplicationHasIt() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok-pojo")));

        succeed("direct:succeed", new Reservation("o-9", 2));

        assertThat(sentOutput()).isEqualTo("{\"order\":\"o-9\",\"quantity\":2}");
    }

    @Test
    void aStreamOrBytesOfJsonAreSentAsTheyAre() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok-stream")));

        succeed("direct:succeed", new ByteArrayInputStream("[\"a\",1]".getBytes(StandardCharsets.UTF_8)));
        succeed("direct:succeed", "42".getBytes(StandardCharsets.UTF_8));

        assertThat(SFN.findAll(requested(SUCCESS_TARGET))).extracting(r -> r.getBodyAsString())
                .containsExactly("{\"taskToken\":\"" + TOKEN + "\",\"output\":\"[\\\"a\\\",1]\"}",
                        "{\"taskToken\":\"" + TOKEN + "\",\"output\":\"42\"}");
    }

    @Test
    void outputThatIsNotJsonIsRefusedNamingThePositionWithNothingSent() {
        Exchange result = succeed("direct:succeed", "{\"order\": o-3}");

        assertThat(result.getException()).isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("output").hasMessageContaining("not JSON").hasMessageContaining("position 10");
        assertThat(((InvalidTaskAnswerException) result.getException()).part())
                .isEqualTo(InvalidTaskAnswerException.Part.OUTPUT);
        assertThat(result.getMessage().getBody()).as("the message is left as it was").isEqualTo("{\"order\": o-3}");
        assertThat(SFN.getAllServeEvents()).isEmpty();
    }

    @Test
    void outputOverTheServicesPayloadLimitIsRefusedNamingLimitSizeAndWhatToDo() {
        // 262,145 bytes of UTF-8: a JSON string of 2-byte characters
        String big = "\"" + "é".repeat(131_071) + "x\"";

        Exchange result = succeed("direct:succeed", big);

        assertThat(result.getException()).isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("262145 bytes").hasMessageContaining("at most 262144").hasMessageContaining("S3");
        assertThat(result.getMessage().getBody()).isSameAs(big);
        assertThat(SFN.getAllServeEvents()).isEmpty();
    }

    @Test
    void outputAtExactlyTheLimitIsSent() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok-limit")));
        String limit = "\"" + "x".repeat(262_142) + "\"";

        assertThat(succeed("direct:succeed", limit).getException()).isNull();
        assertThat(sentOutput()).hasSize(262_144);
    }

    @Test
    void noBodyIsRefusedBeforeAnyCall() {
        Exchange result = succeed("direct:succeed", null);

        assertThat(result.getException()).isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("No output").hasMessageContaining("{}");
        assertThat(SFN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingTokenIsRefusedNamingWhereItWasLookedFor() {
        Exchange result = template.request("direct:succeed", e -> e.getMessage().setBody("{}"));

        assertThat(result.getException()).isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("header CamelAwsSfnTaskToken or option taskToken");
        assertThat(SFN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aClosedTaskFailsTheExchangeUnlessIgnoreClosedTask() {
        SFN.stubFor(sendTaskSuccess().willReturn(taskClosed()));

        Exchange failed = succeed("direct:succeed", "{}");
        Exchange ignored = succeed("direct:ignoring", "{}");

        assertThat(failed.getException()).isInstanceOf(TaskTimedOutException.class)
                .hasMessageContaining("ignoreClosedTask=true");
        assertThat(ignored.getException()).isNull();
        assertThat(ignored.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
        assertThat(ignored.getMessage().getBody()).as("the output, not replaced").isEqualTo("{}");
    }

    @Test
    void aResetThenAClosedTaskMeansTheSuccessLanded() {
        SFN.stubFor(sendTaskSuccess().inScenario("lost").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("closed"));
        SFN.stubFor(sendTaskSuccess().inScenario("lost").whenScenarioStateIs("closed").willReturn(taskClosed()));

        Exchange result = succeed("direct:retried", "{\"done\":true}");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
        assertThat(SFN.findAll(requested(SUCCESS_TARGET))).hasSize(2);
        assertThat(context.getEndpoint("aws-sfn-success:retried?maxAttempts=2", SfnSuccessEndpoint.class).getCounters()
                .closedByThisReport()).isEqualTo(1);
    }

    @Test
    void aKmsRefusalReachesTheRouteWithAHintAndNoFallback() {
        SFN.stubFor(sendTaskSuccess().willReturn(awsError(400, "KmsAccessDeniedException", "not allowed to use key")));

        Exchange result = succeed("direct:succeed", "{\"secret\":1}");

        assertThat(result.getException()).isInstanceOf(KmsAccessDeniedException.class)
                .hasMessageContaining("kms:Decrypt");
        assertThat(SFN.findAll(requested(SUCCESS_TARGET))).as("sent once, never without its output").hasSize(1);
    }

    private Exchange succeed(String route, Object body) {
        return template.request(route, e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setBody(body);
        });
    }

    private static String sentOutput() {
        String body = SFN.findAll(requested(SUCCESS_TARGET)).get(0).getBodyAsString();
        return (String) ((Map<?, ?>) org.apache.camel.util.json.Jsoner.deserialize(body, new org.apache.camel.util.json.JsonObject()))
                .get("output");
    }
}
