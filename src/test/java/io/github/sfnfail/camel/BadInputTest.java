package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A report Step Functions would refuse fails before any call, says what is wrong, and leaves the message as it was.
 */
class BadInputTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:worker");
                from("direct:strict").to("aws-sfn-fail:strict?truncateCause=false");
                from("direct:pojo").to("aws-sfn-fail:pojo?pojoRequest=true");
            }
        };
    }

    @BeforeEach
    void stub() {
        stubAccepted();
    }

    @Test
    void missingTokenIsRefusedNamingHeaderAndOption() {
        Exchange result = send("direct:fail", headers(null, "E", "c"));

        assertRefused(result, "No task token in header " + SfnConstants.TASK_TOKEN + " or option taskToken");
    }

    @Test
    void blankTokenIsRefused() {
        Exchange result = send("direct:fail", headers("   ", "E", "c"));

        assertRefused(result, "No task token", "header " + SfnConstants.TASK_TOKEN + " is blank");
    }

    @Test
    void tokenOver2048CharactersIsRefusedWithItsLengthAndNotShown() {
        String token = "T".repeat(2049);

        Exchange result = send("direct:fail", headers(token, "E", "c"));

        assertRefused(result, "header " + SfnConstants.TASK_TOKEN, "2049 characters", "at most 2048");
        assertThat(result.getException().getMessage()).doesNotContain(token);
    }

    @Test
    void tokenWithASpaceIsRefusedAsAProbablyDecodedPlusWithoutShowingIt() {
        // a real token's shape, with the + turned into a space by URL decoding
        String token = "AQCEAAAAKgAAAAMAAAAAAAAAAd x/yAbCdEfGhIjKlMnOpQrStUvWxYz0123456789==";

        Exchange result = send("direct:fail", headers(token, "E", "c"));

        assertRefused(result, "header " + SfnConstants.TASK_TOKEN, "a space at position 26",
                "a '+' decoded on the way", "taskToken=RAW(...)", "AQCEAA…(len 68)");
        assertThat(result.getException().getMessage()).doesNotContain(token).doesNotContain("x/yAbCdEf");
    }

    @Test
    void tokenWithALineBreakIsRefused() {
        Exchange result = send("direct:fail", headers("AQCEAAAAKgAAAAMAAAAA\n", "E", "c"));

        assertRefused(result, "a line break at position 20");
    }

    @Test
    void tokenWithATrailingSpaceIsRefusedNamingASpaceNotALineBreak() {
        Exchange result = send("direct:fail", headers("AQCEAAAAKgAAAAMAAAAA ", "E", "c"));

        assertRefused(result, "a space at position 20", "most likely copied or typed with it");
        assertThat(result.getException().getMessage()).doesNotContain("line break");
    }

    @Test
    void aBadlyFormedRegionIsRefusedAtStartNotAtTheFirstCall() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:badRegion").to("aws-sfn-fail:badRegion?region=EU_WEST_1");
            }
        })).isInstanceOf(FailedToCreateRouteException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region=EU_WEST_1 is not a region name").hasMessageContaining("eu-west-1");
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void tokenOptionDecodedFromAnUnquotedUriDoesNotStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:unquoted").to("aws-sfn-fail:unquoted?taskToken=AQCEAAAAKgAA+AMAAAAA");
            }
        })).isInstanceOf(FailedToCreateRouteException.class)
                .rootCause().isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("option taskToken").hasMessageContaining("a space")
                .hasMessageContaining("RAW(");
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void tokenOf2048CharactersIsSent() {
        Exchange result = send("direct:fail", headers("T".repeat(2048), "E", "c"));

        assertThat(result.getException()).isNull();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void errorOver256CharactersIsRefused() {
        Exchange result = send("direct:fail", headers(TOKEN, "E".repeat(257), "c"));

        assertRefused(result, "error from header " + SfnConstants.ERROR, "257 characters", "at most 256");
    }

    @Test
    void errorOf256CharactersIsSent() {
        Exchange result = send("direct:fail", headers(TOKEN, "E".repeat(256), "c"));

        assertThat(result.getException()).isNull();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void reservedStatesErrorIsRefused() {
        Exchange result = send("direct:fail", headers(TOKEN, "States.Timeout", "c"));

        assertRefused(result, "header " + SfnConstants.ERROR, "'States.'", "reserves");
    }

    @Test
    void causeOver32768CharactersIsCutToFitWithAVisibleMarker() {
        String cause = "x".repeat(40_000);

        Exchange result = send("direct:fail", headers(TOKEN, "E", cause));

        assertThat(result.getException()).isNull();
        SFN.verify(1, sendTaskFailureRequested().withRequestBody(
                matchingJsonPath("$.cause", com.github.tomakehurst.wiremock.client.WireMock
                        .matching("x{32740,32768}…\\[truncated \\d+ chars\\]"))));
        String sent = SFN.findAll(sendTaskFailureRequested()).get(0).getBodyAsString();
        String sentCause = sent.substring(sent.indexOf("\"cause\":\"") + 9, sent.lastIndexOf('"'));
        assertThat(sentCause).hasSize(32768).endsWith("…[truncated " + (40_000 - sentCause.indexOf('…')) + " chars]");
    }

    @Test
    void causeOver32768CharactersIsRefusedWhenTruncationIsOff() {
        Exchange result = send("direct:strict", headers(TOKEN, "E", "x".repeat(32769)));

        assertRefused(result, "cause from header " + SfnConstants.CAUSE, "32769 characters", "at most 32768",
                "truncateCause");
    }

    @Test
    void pojoRequestWithAnotherBodyTypeNamesBothTypes() {
        Exchange result = template.request("direct:pojo", e -> e.getMessage().setBody("{\"taskToken\":\"x\"}"));

        assertRefused(result, "pojoRequest=true", SendTaskFailureRequest.class.getName(), "java.lang.String");
        assertThat(result.getMessage().getBody()).isEqualTo("{\"taskToken\":\"x\"}");
    }

    @Test
    void pojoRequestWithoutTokenSaysTheBodyHasNone() {
        Exchange result = template.request("direct:pojo", e -> e.getMessage().setBody(
                SendTaskFailureRequest.builder().error("E").build()));

        assertRefused(result, "No task token in the SendTaskFailureRequest body");
    }

    @Test
    void pojoRequestIsCheckedAgainstTheLimitsToo() {
        Exchange result = template.request("direct:pojo", e -> e.getMessage().setBody(
                SendTaskFailureRequest.builder().taskToken(TOKEN).error("States.Runtime").build()));

        assertRefused(result, "SendTaskFailureRequest body", "'States.'");
    }

    @Test
    void pojoRequestIsSentAsIs() {
        Exchange result = template.request("direct:pojo", e -> e.getMessage().setBody(
                SendTaskFailureRequest.builder().taskToken(TOKEN).error("FromPojo").cause("pojo").build()));

        assertThat(result.getException()).isNull();
        SFN.verify(1, sendTaskFailureRequested().withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .equalToJson("{\"taskToken\":\"" + TOKEN + "\",\"error\":\"FromPojo\",\"cause\":\"pojo\"}")));
    }

    @Test
    void endpointWithAnInvalidErrorOptionDoesNotStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("aws-sfn-fail:bad?error=States.ALL");
            }
        })).isInstanceOf(FailedToCreateRouteException.class)
                .rootCause().isInstanceOf(InvalidTaskAnswerException.class)
                .hasMessageContaining("option error").hasMessageContaining("'States.'");
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void overrideEndpointWithoutAnUriDoesNotStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("aws-sfn-fail:bad?overrideEndpoint=true&uriEndpointOverride=");
            }
        })).rootCause().hasMessageContaining("uriEndpointOverride");
    }

    private Exchange send(String uri, Map<String, Object> headers) {
        return template.request(uri, e -> {
            e.getMessage().setBody("the work item");
            e.getMessage().setHeaders(headers);
        });
    }

    private static Map<String, Object> headers(String token, String error, String cause) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(SfnConstants.TASK_TOKEN, token);
        headers.put(SfnConstants.ERROR, error);
        headers.put(SfnConstants.CAUSE, cause);
        return headers;
    }

    private static void assertRefused(Exchange result, String... messageParts) {
        assertThat(result.getException()).isInstanceOf(InvalidTaskAnswerException.class);
        for (String part : messageParts) {
            assertThat(result.getException().getMessage()).contains(part);
        }
        assertThat(requestsReceived()).as("requests sent to Step Functions").isZero();
    }
}
