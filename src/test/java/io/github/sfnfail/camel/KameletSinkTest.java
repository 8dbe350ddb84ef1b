package io.github.sfnfail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kamelets shipped in the jar (classpath:kamelets), aws-sfn-fail-sink, aws-sfn-success-sink and
 * aws-sfn-heartbeat-action, used the way a Kamelet binding uses them.
 */
class KameletSinkTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sink").to("kamelet:aws-sfn-fail-sink?region=ap-northeast-1&accessKey=AKIAKAMELET"
                                       + "&secretKey=RAW(kamelet/secret)&error=FromKamelet&overrideEndpoint=true"
                                       + "&uriEndpointOverride=" + SFN.baseUrl());
                from("direct:success").to("kamelet:aws-sfn-success-sink?region=ap-northeast-1&overrideEndpoint=true"
                                          + "&uriEndpointOverride=" + SFN.baseUrl());
                from("direct:heartbeat").to("kamelet:aws-sfn-heartbeat-action?region=ap-northeast-1&period=60s"
                                            + "&overrideEndpoint=true&uriEndpointOverride=" + SFN.baseUrl())
                        .setProperty("bodyAfterHeartbeat", body());
                from("direct:closed").to("kamelet:aws-sfn-fail-sink?region=ap-northeast-1&ignoreClosedTask=true"
                                         + "&overrideEndpoint=true&uriEndpointOverride=" + SFN.baseUrl());
            }
        };
    }

    @Test
    void sinkReportsTheFailureWithTheTokenHeaderAndItsProperties() {
        stubAccepted();

        Exchange result = template.request("direct:sink", e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setHeader(SfnConstants.CAUSE, "from a binding");
        });

        assertThat(result.getException()).isNull();
        SFN.verify(1, sendTaskFailureRequested()
                .withHeader("Authorization", containing("Credential=AKIAKAMELET/"))
                .withHeader("Authorization", containing("/ap-northeast-1/states/"))
                .withRequestBody(equalToJson(
                        "{\"taskToken\":\"" + TOKEN + "\",\"error\":\"FromKamelet\",\"cause\":\"from a binding\"}")));
    }

    @Test
    void successSinkSendsTheBodyAsOutput() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok")));

        Exchange result = template.request("direct:success", e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setBody("{\"shipped\":true}");
        });

        assertThat(result.getException()).isNull();
        SFN.verify(1, requested(SUCCESS_TARGET).withHeader("Authorization", containing("/ap-northeast-1/states/"))
                .withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN + "\",\"output\":\"{\\\"shipped\\\":true}\"}")));
    }

    @Test
    void heartbeatActionBeatsAndLeavesTheMessageAsItIs() {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));

        Exchange result = template.request("direct:heartbeat", e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setBody("work in progress");
        });

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("bodyAfterHeartbeat")).isEqualTo("work in progress");
        SFN.verify(1, requested(HEARTBEAT_TARGET).withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN + "\"}")));
    }

    @Test
    void sinkPassesIgnoreClosedTaskThrough() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskTimedOut", "Task Timed Out")));

        Exchange result = template.request("direct:closed", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
    }
}
