package io.github.sfnfail.camel;

import java.time.Duration;

import org.apache.camel.component.aws.common.AwsClientBuilderUtil;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

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
        if (configuration.getRetryMode() != null) {
            override.retryStrategy(configuration.getRetryMode());
        }
        if (configuration.getMaxAttempts() != null) {
            int maxAttempts = configuration.getMaxAttempts();
            override.retryStrategy(retry -> retry.maxAttempts(maxAttempts));
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
