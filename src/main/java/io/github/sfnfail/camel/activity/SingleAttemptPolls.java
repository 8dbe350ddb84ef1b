package io.github.sfnfail.camel.activity;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;

/**
 * Gives each long poll one attempt: a poll that fails comes back to its poller, which polls again after its own
 * backoff ({@link PollBackoff}) as a new call, instead of the SDK sending it again within the same call. Retried within
 * one call, a poll sometimes loses the task the service hands to the retry: in the soak, each task that timed out for no
 * reason the worker could see had gone to a poll's second attempt (4 in 270,000 tasks, 3 % of polls being retries),
 * and none since polls have one attempt. A per-request plugin, so that it holds for a client from the registry too; the
 * answers keep the client's retries.
 */
final class SingleAttemptPolls implements SdkPlugin {

    static final SingleAttemptPolls INSTANCE = new SingleAttemptPolls();

    private SingleAttemptPolls() {
    }

    @Override
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        config.overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }
}
