package io.github.sfnfail.camel;

import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static org.assertj.core.api.Assertions.assertThat;

class SendTaskFailureOnTheWireTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:worker");
            }
        };
    }

    @Test
    void sendsOneSignedSendTaskFailureRequestWithTheReportAsJson() {
        stubAccepted();

        template.sendBodyAndHeaders("direct:fail", "work item", Map.of(
                SfnConstants.TASK_TOKEN, TOKEN,
                SfnConstants.ERROR, "PaymentDeclined",
                SfnConstants.CAUSE, "card expired \"2024-01\""));

        SFN.verify(1, sendTaskFailureRequested()
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.0"))
                .withHeader("Authorization", matching(
                        "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/\\d{8}/" + REGION + "/states/aws4_request, "
                                                      + "SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}"))
                .withHeader("X-Amz-Date", matching("\\d{8}T\\d{6}Z"))
                .withRequestBody(equalToJson(
                        "{\"taskToken\":\"" + TOKEN + "\",\"error\":\"PaymentDeclined\",\"cause\":\"card expired \\\"2024-01\\\"\"}")));
    }

    @Test
    void putsTheSdkResponseOnTheBodyAndTheRequestIdInAHeader() {
        SFN.stubFor(sendTaskFailure().willReturn(accepted("5f2c-request-id")));

        Exchange result = template.request("direct:fail",
                e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isInstanceOf(SendTaskFailureResponse.class);
        assertThat(result.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("5f2c-request-id");
    }

    @Test
    void omitsErrorAndCauseWhenNoneIsGiven() {
        stubAccepted();

        template.sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, TOKEN);

        LoggedRequest request = SFN.findAll(sendTaskFailureRequested()).get(0);
        assertThat(request.getBodyAsString()).isEqualTo("{\"taskToken\":\"" + TOKEN + "\"}");
    }

    @Test
    void tokenWithPlusAndSlashInARawUriOptionArrivesIntact() throws Exception {
        stubAccepted();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:raw").to("aws-sfn-fail:raw?taskToken=RAW(" + TOKEN + ")&error=Rejected");
            }
        });

        template.sendBody("direct:raw", null);

        SFN.verify(1, sendTaskFailureRequested()
                .withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN + "\",\"error\":\"Rejected\"}")));
    }

    @Test
    void convertsHeaderValuesThatAreNotStrings() {
        stubAccepted();

        template.sendBodyAndHeaders("direct:fail", null, Map.of(
                SfnConstants.TASK_TOKEN, TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                SfnConstants.ERROR, new StringBuilder("Code").append(42),
                SfnConstants.CAUSE, 12345));

        SFN.verify(1, sendTaskFailureRequested()
                .withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN + "\",\"error\":\"Code42\",\"cause\":\"12345\"}")));
    }
}
