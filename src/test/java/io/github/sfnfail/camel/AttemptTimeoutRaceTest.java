package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt cut at apiCallAttemptTimeout is retried; the Netty client can then fail the retry at once with the cut
 * attempt's cancellation (its FutureCancelledException, caused by the same timeout), which the SDK alone does not retry.
 * Seen on a loaded CI machine, on SDK 2.41 and 2.57: a report whose first attempt was cut, then "SDK Attempt Count: 2"
 * within the same ten seconds and no third attempt, although maxAttempts allowed four. The clients the component builds
 * retry it.
 */
class AttemptTimeoutRaceTest {

    @Test
    void aRetryFailedAtOnceByTheCutAttemptsCancellationIsRetriedAgain() {
        SfnFailConfiguration configuration = new SfnFailConfiguration();
        configuration.setMaxAttempts(4);
        RetryStrategy strategy = DefaultSfnClientFactory.overrideConfiguration(configuration).retryStrategy().orElseThrow();
        ApiCallAttemptTimeoutException cut = ApiCallAttemptTimeoutException.create(10_000);

        RetryToken first = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("sfn")).token();
        RetryToken second = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(first)
                .failure(SdkClientException.create("Unable to execute HTTP request: " + cut.getMessage(), cut))
                .build()).token();
        // the shape of the Netty client's internal FutureCancelledException: a cancellation whose cause is the cut
        RuntimeException cancellation = new RuntimeException("cancelled with the cut attempt", cut);
        RetryToken third = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(second)
                .failure(SdkClientException.create("Unable to execute HTTP request: " + cut.getMessage(), cancellation))
                .build()).token();

        assertThat(third).as("a third attempt").isNotNull();
    }
}
