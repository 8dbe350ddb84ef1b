package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailConfiguration;

import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry and time-limit options of the client the endpoint builds, against faults injected by WireMock.
 */
class RetriesAndTimeLimitsTest extends WireMockSfnTestSupport {

    /** Far past the 1 s limits of the routes below, so that a loaded machine cannot blur the difference. */
    private static final int SLOW_ANSWER_MILLIS = 10_000;


    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:three").to("aws-sfn-fail:three?maxAttempts=3");
                from("direct:five").to("aws-sfn-fail:five?maxAttempts=5");
                from("direct:default").to("aws-sfn-fail:default");
                from("direct:standard").to("aws-sfn-fail:standard?retryMode=STANDARD");
                from("direct:standardTwo").to("aws-sfn-fail:standardTwo?retryMode=STANDARD&maxAttempts=2");
                from("direct:attemptLimit").to("aws-sfn-fail:attemptLimit?maxAttempts=2&apiCallAttemptTimeout=1s");
                from("direct:callLimit").to("aws-sfn-fail:callLimit?maxAttempts=10&apiCallTimeout=1s");
                from("direct:throttlingLimit").to("aws-sfn-fail:throttlingLimit?maxAttempts=2&throttlingTimeout=1500ms");
            }
        };
    }

    static Stream<Arguments> transientFaults() {
        return Stream.of(
                Arguments.of("KMS throttling", awsError(400, "KmsThrottlingException", "KMS rate exceeded"),
                        software.amazon.awssdk.services.sfn.model.KmsThrottlingException.class),
                Arguments.of("500", awsError(500, "InternalFailure", "oops"), SfnException.class),
                Arguments.of("503", aResponse().withStatus(503).withBody("Service Unavailable"), SfnException.class),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                        SdkClientException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void transientFaultIsRetriedUpToMaxAttemptsThenReachesTheRouteWithTheAttemptCount(
            String fault, ResponseDefinitionBuilder response, Class<? extends SdkException> type) {
        SFN.stubFor(sendTaskFailure().willReturn(response));

        Exchange result = send("direct:three");

        assertThat(result.getException()).isInstanceOf(type);
        assertThat(((SdkException) result.getException()).numAttempts()).isEqualTo(3);
        assertThat(requestsReceived()).isEqualTo(3);
    }

    @Test
    void throttlingIsSentAgainPacedUntilTheThrottlingTimeoutNotJustMaxAttempts() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "ThrottlingException", "Rate exceeded")));

        Exchange result = send("direct:throttlingLimit");

        assertThat(result.getException()).isInstanceOf(SfnException.class)
                .hasMessageContaining("throttlingTimeout");
        assertThat(((SfnException) result.getException()).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        // each call is a single attempt (the SDK leaves throttling to the pacer), sent again beyond maxAttempts=2
        assertThat(((SfnException) result.getException()).numAttempts()).isEqualTo(1);
        assertThat(requestsReceived()).isGreaterThan(2);
    }

    @Test
    void transientFaultsFollowedBySuccessEndInSuccess() {
        SFN.stubFor(sendTaskFailure().inScenario("recovering").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("once"));
        SFN.stubFor(sendTaskFailure().inScenario("recovering").whenScenarioStateIs("once")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("twice"));
        SFN.stubFor(sendTaskFailure().inScenario("recovering").whenScenarioStateIs("twice")
                .willReturn(accepted("req-after-retries")));

        Exchange result = send("direct:three");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isInstanceOf(SendTaskFailureResponse.class);
        assertThat(result.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("req-after-retries");
        assertThat(requestsReceived()).isEqualTo(3);
    }

    static Stream<Arguments> permanentErrors() {
        return Stream.of(Arguments.of("TaskTimedOut"), Arguments.of("InvalidToken"), Arguments.of("TaskDoesNotExist"),
                Arguments.of("AccessDeniedException"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permanentErrors")
    void permanentErrorIsNotRetried(String code) {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, code, "no")));

        Exchange result = send("direct:five");

        assertThat(result.getException()).isInstanceOf(AwsServiceException.class);
        assertThat(((AwsServiceException) result.getException()).awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    static Stream<Arguments> retryModes() {
        return Stream.of(Arguments.of("direct:default", 4), Arguments.of("direct:standard", 3),
                Arguments.of("direct:standardTwo", 2));
    }

    @ParameterizedTest(name = "{0} makes {1} attempts")
    @MethodSource("retryModes")
    void retryModeSetsTheNumberOfAttemptsUnlessMaxAttemptsIsGiven(String route, int attempts) {
        SFN.stubFor(sendTaskFailure().willReturn(aResponse().withStatus(500)));

        Exchange result = send(route);

        assertThat(((SdkException) result.getException()).numAttempts()).isEqualTo(attempts);
        assertThat(requestsReceived()).isEqualTo(attempts);
    }

    @Test
    void slowAnswerPastTheAttemptTimeLimitIsRetried() {
        // answers that would succeed, but only long after the limit: the exception alone shows the limit acted
        SFN.stubFor(sendTaskFailure().willReturn(accepted("too-late").withFixedDelay(SLOW_ANSWER_MILLIS)));

        Exchange result = send("direct:attemptLimit");

        // two attempts, the first cut at its limit; the SDK throws the last attempt's timeout, or wraps it when it
        // refuses a further retry (in an SdkClientException, and on a loaded machine in netty's FutureCancelledException
        // too); on a busy machine the second attempt once went out on the connection the first one's cut had just
        // closed, and failed with "Request cancelled": the first attempt's timeout is then among the suppressed ones
        assertThat(result.getException()).isInstanceOf(SdkException.class);
        assertThat(((SdkException) result.getException()).numAttempts()).as("attempts").isEqualTo(2);
        assertThat(attemptTimeouts(result.getException())).as("attempts cut at their limit").isPositive();
        assertThat(requestsReceived()).as("attempts that reached the service").isBetween(1, 2);
    }

    /** The attempt timeouts in an exception, its causes and the failures of earlier attempts it carries. */
    private static long attemptTimeouts(Throwable thrown) {
        long count = 0;
        for (Throwable e = thrown; e != null; e = e.getCause()) {
            // the SDK keeps an earlier attempt's failure as a suppressed "Request attempt N failure: <its message>"
            if (e instanceof ApiCallAttemptTimeoutException || e.getCause() == null && String.valueOf(e.getMessage())
                    .matches("Request attempt \\d+ failure: HTTP request execution did not complete before the "
                             + "specified timeout configuration.*")) {
                count++;
            }
            for (Throwable earlier : e.getSuppressed()) {
                count += attemptTimeouts(earlier);
            }
        }
        return count;
    }

    @Test
    void callTimeLimitEndsTheRetries() {
        SFN.stubFor(sendTaskFailure().willReturn(accepted("too-late").withFixedDelay(SLOW_ANSWER_MILLIS)));

        long start = System.nanoTime();
        Exchange result = send("direct:callLimit");

        // without the limit the first attempt would succeed after 10 s: the exception shows the limit ended the call
        assertThat(result.getException()).isInstanceOf(ApiCallTimeoutException.class);
        assertThat(requestsReceived()).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms, for a limit of 1 s against an answer after 10 s")
                .isLessThan(SLOW_ANSWER_MILLIS * 6 / 10);
    }

    /*
     * The pacer retries throttling, so the SDK's adaptive rate limiter would never learn from it: an adaptive mode
     * would only pass for a rate limit that does nothing.
     */
    @ParameterizedTest(name = "retryMode={0} is refused")
    @ValueSource(strings = {"ADAPTIVE", "ADAPTIVE_V2"})
    void adaptiveModesAreRefusedAtStartSayingThatTheEndpointPacesThrottling(String mode) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:adaptive" + mode).to("aws-sfn-fail:adaptive" + mode + "?retryMode=" + mode);
            }
        })).rootCause().hasMessageContaining("retryMode=" + mode + " is not supported")
                .hasMessageContaining("LEGACY or STANDARD").hasMessageContaining("throttlingTimeout");
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void anAdaptiveModeFromTheEnvironmentIsTakenAsStandard() {
        String before = System.getProperty("aws.retryMode");
        System.setProperty("aws.retryMode", "adaptive");
        try {
            assertThat(DefaultSfnClientFactory.retryMode(new SfnFailConfiguration())).isEqualTo(RetryMode.STANDARD);
            System.setProperty("aws.retryMode", "standard");
            assertThat(DefaultSfnClientFactory.retryMode(new SfnFailConfiguration())).isEqualTo(RetryMode.STANDARD);
            System.setProperty("aws.retryMode", "legacy");
            assertThat(DefaultSfnClientFactory.retryMode(new SfnFailConfiguration())).isEqualTo(RetryMode.LEGACY);
        } finally {
            if (before == null) {
                System.clearProperty("aws.retryMode");
            } else {
                System.setProperty("aws.retryMode", before);
            }
        }
    }

    @Test
    void maxAttemptsBelowOneIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:zero").to("aws-sfn-fail:zero?maxAttempts=0");
            }
        })).rootCause().hasMessageContaining("maxAttempts must be at least 1");
    }

    private Exchange send(String route) {
        return template.request(route, e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));
    }
}
