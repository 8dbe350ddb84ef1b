package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.function.Consumer;

import org.apache.camel.component.aws.common.AwsClientBuilderUtil;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.KmsThrottlingException;

/**
 * Builds an asynchronous client from the common Camel AWS options (credentials, region, endpoint override, proxy,
 * through camel-aws-common) plus this component's retry and time-limit options.
 */
public class DefaultSfnClientFactory implements SfnClientFactory {

    @Override
    public SfnAsyncClient createAsyncClient(SfnFailConfiguration configuration) {
        return AwsClientBuilderUtil.buildAsyncClient(configuration, SfnAsyncClient::builder,
                builder -> builder.overrideConfiguration(overrideConfiguration(configuration)));
    }

    static ClientOverrideConfiguration overrideConfiguration(SfnFailConfiguration configuration) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        Integer maxAttempts = configuration.getMaxAttempts();
        Consumer<RetryStrategy.Builder<?, ?>> retry = builder -> {
            // the SDK does not count KMS throttling as throttling, yet it is as transient as any other
            builder.retryOnException(KmsThrottlingException.class);
            if (maxAttempts != null) {
                builder.maxAttempts(maxAttempts);
            }
        };
        if (configuration.getRetryMode() == null) {
            // applied to the mode the SDK resolves itself (AWS_RETRY_MODE, profile, else LEGACY)
            override.retryStrategy(retry);
        } else {
            RetryStrategy.Builder<?, ?> strategy = AwsRetryStrategy.forRetryMode(configuration.getRetryMode()).toBuilder();
            retry.accept(strategy);
            override.retryStrategy(strategy.build());
        }
        if (configuration.getApiCallTimeout() > 0) {
            override.apiCallTimeout(Duration.ofMillis(configuration.getApiCallTimeout()));
        }
        if (configuration.getApiCallAttemptTimeout() > 0) {
            override.apiCallAttemptTimeout(Duration.ofMillis(configuration.getApiCallAttemptTimeout()));
        }
        return override.build();
    }
}
