package io.github.sfnfail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aws-sfn-fail-sink Kamelet shipped in the jar (classpath:kamelets), used the way a Kamelet binding uses it.
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
    void sinkPassesIgnoreClosedTaskThrough() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskTimedOut", "Task Timed Out")));

        Exchange result = template.request("direct:closed", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
    }
}
