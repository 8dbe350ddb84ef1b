package io.github.sfnfail.camel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a MeterRegistry in the registry, an endpoint's counters are Micrometer meters named camel.aws.sfn.fail.*,
 * tagged with the endpoint and, for failures, the AWS error code; they go when the endpoint stops.
 */
class MicrometerMetersTest extends WireMockSfnTestSupport {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind("meters", meters);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:report").to("aws-sfn-fail:metered");
            }
        };
    }

    @Test
    void reportsShowAsMetersTaggedWithTheEndpointAndTheErrorCode() throws Exception {
        SFN.stubFor(sendTaskFailure().atPriority(9).willReturn(accepted("req-1")));
        SFN.stubFor(sendTaskFailure().withRequestBody(matchingJsonPath("$.taskToken", equalTo("tok-missing")))
                .willReturn(awsError(400, "TaskDoesNotExist", "no such task")));

        report("tok-1");
        report("tok-2");
        report("tok-missing");
        report(null);

        assertThat(count("camel.aws.sfn.fail.reports.sent")).isEqualTo(3);
        assertThat(count("camel.aws.sfn.fail.reports.landed")).isEqualTo(2);
        assertThat(meters.get("camel.aws.sfn.fail.reports.failed").tag("endpoint", "aws-sfn-fail://metered")
                .tag("error.code", "TaskDoesNotExist").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("camel.aws.sfn.fail.reports.refused").tag("part", "token").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("camel.aws.sfn.fail.reports.in.flight").gauge().value()).isZero();

        context.getEndpoint("aws-sfn-fail:metered").stop();

        assertThat(meters.find("camel.aws.sfn.fail.reports.sent").meters()).isEmpty();
    }

    private double count(String name) {
        return meters.get(name).tag("endpoint", "aws-sfn-fail://metered").functionCounter().count();
    }

    private void report(String token) {
        template.request("direct:report", exchange -> {
            if (token != null) {
                exchange.getMessage().setHeader(SfnFailConstants.TASK_TOKEN, token);
            }
        });
    }
}
