package io.github.sfnfail.camel;

import io.github.sfnfail.camel.observe.AnswerHealthCheck;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer health check probes with the one call the component needs anyway.
 */
class ProducerHealthCheckTest extends WireMockSfnTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthChecksOn.enable(context, "producers");
        for (String scheme : new String[] {"aws-sfn-fail", "aws-sfn-success", "aws-sfn-heartbeat"}) {
            context.getComponent(scheme, SfnTaskComponent.class).setHealthCheckProducerEnabled(true);
        }
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").routeId("worker").to("aws-sfn-fail:worker?maxAttempts=1");
                from("direct:succeed").routeId("success-worker").to("aws-sfn-success:worker?maxAttempts=1");
                from("direct:beat").routeId("heartbeat-worker").to("aws-sfn-heartbeat:worker?maxAttempts=1");
            }
        };
    }

    @Test
    void upWhenStepFunctionsAuthenticatesTheProbeAndKnowsNoSuchTask() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "InvalidToken", "Invalid Token")));

        HealthCheck.Result result = producerCheck();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        SFN.verify(1, sendTaskFailureRequested().withRequestBody(equalToJson(
                "{\"taskToken\":\"" + AnswerHealthCheck.PROBE_TOKEN + "\",\"error\":\"CamelHealthCheck\"}")));
    }

    @Test
    void downWithTheErrorCodeWhenTheCredentialsAreRefused() {
        SFN.stubFor(sendTaskFailure().willReturn(
                awsError(400, "UnrecognizedClientException", "The security token included in the request is invalid.")));

        HealthCheck.Result result = producerCheck();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getDetails()).containsEntry(AbstractHealthCheck.SERVICE_ERROR_CODE, "UnrecognizedClientException")
                .containsEntry(AbstractHealthCheck.SERVICE_STATUS_CODE, 400);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("access key is not known"));
    }

    @Test
    void downWhenStepFunctionsCannotBeReached() {
        SFN.stubFor(sendTaskFailure().willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(producerCheck().getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    @Test
    void successAndHeartbeatEndpointsProbeWithTheirOwnCall() {
        SFN.stubFor(sendTaskSuccess().willReturn(awsError(400, "TaskDoesNotExist", "no such task")));
        SFN.stubFor(sendTaskHeartbeat().willReturn(awsError(400, "AccessDeniedException", "not allowed")));

        HealthCheck.Result success = producerCheck("aws-sfn-success");
        HealthCheck.Result heartbeat = producerCheck("aws-sfn-heartbeat");

        assertThat(success.getState()).isEqualTo(HealthCheck.State.UP);
        SFN.verify(1, requested(SUCCESS_TARGET).withRequestBody(equalToJson(
                "{\"taskToken\":\"" + AnswerHealthCheck.PROBE_TOKEN + "\",\"output\":\"{}\"}")));
        assertThat(heartbeat.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(heartbeat.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("states:SendTaskHeartbeat"));
        SFN.verify(1, requested(HEARTBEAT_TARGET).withRequestBody(equalToJson(
                "{\"taskToken\":\"" + AnswerHealthCheck.PROBE_TOKEN + "\"}")));
        assertThat(SFN.findAll(sendTaskFailureRequested())).as("no other probe").isEmpty();
    }

    private HealthCheck.Result producerCheck() {
        return producerCheck("aws-sfn-fail");
    }

    private HealthCheck.Result producerCheck(String scheme) {
        return HealthCheckHelper.invoke(context, (HealthCheck check) -> !check.getId().startsWith("producer:" + scheme + "-"))
                .stream().filter(r -> r.getCheck().getId().startsWith("producer:" + scheme + "-")).findFirst().orElseThrow();
    }
}
