package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import java.util.List;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.KmsAccessDeniedException;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When KMS refuses the state machine's key, the report is sent again without error and cause, which Step Functions
 * accepts without any KMS permission: the execution fails instead of hanging.
 */
class KmsFallbackTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:report").to("aws-sfn-fail:report");
                from("direct:noFallback").to("aws-sfn-fail:noFallback?kmsFallback=false");
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = { "KmsAccessDeniedException", "KmsInvalidStateException" })
    void kmsRefusalIsReportedAgainWithoutErrorAndCause(String kmsError) {
        refuseDetailsWith(kmsError);
        SFN.stubFor(sendTaskFailure().withRequestBody(not(matchingJsonPath("$.error"))).willReturn(accepted("req-bare")));

        try (LogCapture logs = new LogCapture()) {
            Exchange result = send("direct:report");

            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(SfnConstants.KMS_FALLBACK)).isEqualTo(true);
            assertThat(result.getMessage().getBody()).isInstanceOf(SendTaskFailureResponse.class);
            assertThat(result.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("req-bare");
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains(kmsError, "without error and cause", "dropped",
                        TaskTokens.mask(TOKEN)).doesNotContain(TOKEN);
            });
        }
        List<LoggedRequest> requests = SFN.findAll(sendTaskFailureRequested());
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getBodyAsString()).contains("\"error\":\"OrderRejected\"", "\"cause\":\"no stock\"");
        assertThat(requests.get(1).getBodyAsString()).contains("\"taskToken\"").doesNotContain("\"error\"", "\"cause\"");
    }

    @Test
    void withoutFallbackTheKmsErrorFailsTheExchange() {
        refuseDetailsWith("KmsAccessDeniedException");

        Exchange result = send("direct:noFallback");

        assertThat(result.getException()).isInstanceOf(KmsAccessDeniedException.class)
                .hasMessageContaining("KMS key");
        assertThat(result.getMessage().getHeader(SfnConstants.KMS_FALLBACK)).isNull();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void kmsThrottlingIsRetriedWithTheDetailsNotDropped() {
        SFN.stubFor(sendTaskFailure().inScenario("kms").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(awsError(400, "KmsThrottlingException", "Rate exceeded")).willSetStateTo("calm"));
        SFN.stubFor(sendTaskFailure().inScenario("kms").whenScenarioStateIs("calm").willReturn(accepted("req-2")));

        Exchange result = send("direct:report");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.KMS_FALLBACK)).isNull();
        assertThat(SFN.findAll(sendTaskFailureRequested())).hasSize(2)
                .allSatisfy(request -> assertThat(request.getBodyAsString()).contains("\"error\":\"OrderRejected\""));
    }

    @Test
    void aFallbackThatFailsFailsTheExchangeWithBothErrors() {
        refuseDetailsWith("KmsAccessDeniedException");
        SFN.stubFor(sendTaskFailure().withRequestBody(not(matchingJsonPath("$.error")))
                .willReturn(awsError(400, "TaskDoesNotExist", "Task Does Not Exist")));

        Exchange result = send("direct:report");

        assertThat(result.getException()).isInstanceOf(TaskDoesNotExistException.class);
        assertThat(result.getException().getSuppressed()).anySatisfy(
                suppressed -> assertThat(suppressed).isInstanceOf(KmsAccessDeniedException.class));
        assertThat(result.getMessage().getHeader(SfnConstants.KMS_FALLBACK)).isNull();
    }

    @Test
    void aReportWithoutDetailsIsNotSentTwice() {
        refuseDetailsWith("KmsAccessDeniedException");
        SFN.stubFor(sendTaskFailure().withRequestBody(not(matchingJsonPath("$.error")))
                .willReturn(awsError(400, "KmsAccessDeniedException", "denied")));

        Exchange result = template.request("direct:report",
                e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isInstanceOf(KmsAccessDeniedException.class);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    private static void refuseDetailsWith(String kmsError) {
        SFN.stubFor(sendTaskFailure().withRequestBody(matchingJsonPath("$.error"))
                .willReturn(awsError(400, kmsError, "KMS refused the key")));
    }

    private Exchange send(String route) {
        return template.request(route, e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setHeader(SfnConstants.ERROR, "OrderRejected");
            e.getMessage().setHeader(SfnConstants.CAUSE, "no stock");
        });
    }
}
