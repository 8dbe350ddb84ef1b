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
                from("direct:succeed").to("aws-sfn-success:metered");
                from("direct:beat").to("aws-sfn-heartbeat:metered");
                from("direct:orderA").routeId("orderA").to("aws-sfn-fail:orders?error=A");
                from("direct:orderB").routeId("orderB").to("aws-sfn-fail:orders?error=B&taskToken=RAW(" + TOKEN + ")");
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
        assertThat(meters.get("camel.aws.sfn.fail.reports.refused").tag("endpoint", "aws-sfn-fail://metered")
                .tag("part", "token").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("camel.aws.sfn.fail.reports.in.flight").tag("endpoint", "aws-sfn-fail://metered").gauge()
                .value()).isZero();

        context.getEndpoint("aws-sfn-fail:metered").stop();

        assertThat(meters.find("camel.aws.sfn.fail.reports.sent").tag("endpoint", "aws-sfn-fail://metered").meters())
                .isEmpty();
    }

    @Test
    void endpointsWithTheSameLabelHaveMetersOfTheirOwnAndStoppingOneLeavesTheOthers() throws Exception {
        stubAccepted();
        template.sendBodyAndHeader("direct:orderA", null, SfnConstants.TASK_TOKEN, "tok-a");
        for (int i = 0; i < 3; i++) {
            template.sendBody("direct:orderB", null);
        }
        String uriA = "aws-sfn-fail://orders?error=A";
        String uriB = meters.find("camel.aws.sfn.fail.reports.landed").meters().stream()
                .map(meter -> meter.getId().getTag("endpoint")).filter(uri -> uri.contains("error=B")).findFirst()
                .orElseThrow();

        assertThat(uriB).as("the masked URI").doesNotContain(TOKEN).contains("taskToken=xxxxxx");
        assertThat(landed(uriA)).isEqualTo(1);
        assertThat(landed(uriB)).isEqualTo(3);

        context.getRouteController().stopRoute("orderA");
        context.removeRoute("orderA");
        context.removeEndpoint(context.getEndpoint("aws-sfn-fail:orders?error=A"));

        assertThat(meters.find("camel.aws.sfn.fail.reports.landed").tag("endpoint", uriA).meters()).isEmpty();
        assertThat(landed(uriB)).as("the other endpoint keeps its meters").isEqualTo(3);
    }

    @Test
    void eachSchemeHasMetersNamedAfterIt() {
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("ok")));
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));

        template.sendBodyAndHeader("direct:succeed", "{}", SfnConstants.TASK_TOKEN, "tok-s");
        template.sendBodyAndHeader("direct:beat", "work", SfnConstants.TASK_TOKEN, "tok-h");
        template.sendBodyAndHeader("direct:beat", "work", SfnConstants.TASK_TOKEN, "tok-h");

        assertThat(meters.get("camel.aws.sfn.success.reports.landed").tag("endpoint", "aws-sfn-success://metered")
                .functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("camel.aws.sfn.heartbeat.reports.landed").tag("endpoint", "aws-sfn-heartbeat://metered")
                .functionCounter().count()).isEqualTo(2);
        assertThat(meters.find("camel.aws.sfn.fail.reports.landed").tag("endpoint", "aws-sfn-success://metered")
                .meters()).isEmpty();
    }

    private double landed(String endpointUri) {
        return meters.get("camel.aws.sfn.fail.reports.landed").tag("endpoint", endpointUri)
                .tag("camelContext", context.getName()).functionCounter().count();
    }

    private double count(String name) {
        return meters.get(name).tag("endpoint", "aws-sfn-fail://metered").functionCounter().count();
    }

    private void report(String token) {
        template.request("direct:report", exchange -> {
            if (token != null) {
                exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
            }
        });
    }
}
