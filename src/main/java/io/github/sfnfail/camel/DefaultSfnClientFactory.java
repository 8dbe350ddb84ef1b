package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.ThrottlingLeftToPacer;
import org.apache.camel.component.aws.common.AwsClientBuilderUtil;
import org.apache.camel.util.ObjectHelper;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.Protocol;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.ProxyConfiguration;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.KmsThrottlingException;
import software.amazon.awssdk.utils.AttributeMap;
import software.amazon.awssdk.utils.ThreadFactoryBuilder;

/**
 * Builds an asynchronous client from the common Camel AWS options (credentials, region, endpoint override through
 * camel-aws-common; proxy and trust-all certificates on the HTTP client it builds itself) plus this component's retry
 * and time-limit options. Every client it builds has the read timeout and connection pool its endpoint needs (the
 * activity consumer's long polls), whatever the option mix.
 * <p>
 * The clients it builds share one Netty event loop group, which it owns: a client with a group of its own takes two
 * seconds to close (Netty's quiet period) and starts threads of its own for every endpoint. They also share one timer
 * thread for the SDK's time limits and retry delays (each long poll has a time limit), instead of the five timer
 * threads the SDK starts for each client. (Neither can be fewer: with fewer event loops than the SDK's two per core,
 * or with the loops as the timer, which then runs retries on them, the Netty client loses a refused connect in its pool
 * far more often.)
 */
public class DefaultSfnClientFactory implements SfnClientFactory, AutoCloseable {

    /** The SDK's connect timeout (2 s) and a margin; the SDK's own default is 10 s. */
    static final Duration CONNECTION_ACQUISITION_TIMEOUT = Duration.ofSeconds(5);

    private SdkEventLoopGroup eventLoops;
    private ScheduledExecutorService timer;

    @Override
    public SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration) {
        return createAsyncClient(configuration, null);
    }

    @Override
    public SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration, Executor replies) {
        // camel-aws-common sets credentials, region and endpoint; the HTTP client is built here in every option mix, so
        // that a proxy or trust-all certificates keep the pool, read timeout and event loops the endpoint needs
        return AwsClientBuilderUtil.buildAsyncClient(withoutHttpOptions(configuration), SfnAsyncClient::builder,
                builder -> builder.overrideConfiguration(overrideConfiguration(configuration).toBuilder()
                                .scheduledExecutorService(timer()).build())
                        .httpClientBuilder(httpClient(configuration))
                        // calls complete on Camel's threads instead of the SDK's sdk-async-response ones, in one hop
                        .asyncConfiguration(async -> {
                            if (replies != null) {
                                async.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, replies);
                            }
                        }));
    }

    /** What camel-aws-common is given: everything but the options of the HTTP client, which this factory applies. */
    private static SfnTaskConfiguration withoutHttpOptions(SfnTaskConfiguration configuration) {
        SfnTaskConfiguration common = configuration.copy();
        common.setTrustAllCertificates(false);
        common.setProxyHost(null);
        common.setProxyPort(null);
        return common;
    }

    private SdkAsyncHttpClient.Builder<?> httpClient(SfnTaskConfiguration configuration) {
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder().eventLoopGroup(eventLoops())
                // the pacer never lets more calls into flight than the pool has connections, so waiting for one
                // only ever means a connect whose failure got lost (seen against a dead port): fail it sooner
                .connectionAcquisitionTimeout(CONNECTION_ACQUISITION_TIMEOUT);
        if (configuration.minimumReadTimeout() != null) {
            http.readTimeout(configuration.minimumReadTimeout());
        }
        if (configuration.minimumConnections() > 0) {
            http.maxConcurrency(configuration.minimumConnections());
        }
        if (ObjectHelper.isNotEmpty(configuration.getProxyHost()) && configuration.getProxyPort() != null) {
            Protocol protocol = configuration.getProxyProtocol() != null ? configuration.getProxyProtocol()
                    : Protocol.HTTPS;
            http.proxyConfiguration(ProxyConfiguration.builder().scheme(protocol.toString())
                    .host(configuration.getProxyHost()).port(configuration.getProxyPort()).build());
        }
        if (!configuration.isTrustAllCertificates()) {
            return http;
        }
        return new TrustingAllCertificates(http);
    }

    /** The HTTP client with trust-all certificates over the service's defaults, built (and so closed) by the SDK. */
    private static final class TrustingAllCertificates implements SdkAsyncHttpClient.Builder<TrustingAllCertificates> {

        private static final AttributeMap TRUST_ALL = AttributeMap.builder()
                .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build();

        private final NettyNioAsyncHttpClient.Builder http;

        TrustingAllCertificates(NettyNioAsyncHttpClient.Builder http) {
            this.http = http;
        }

        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return http.buildWithDefaults(TRUST_ALL.merge(serviceDefaults));
        }
    }

    /** Shuts the shared event loops and timer down; clients built before must be closed first. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (eventLoops != null) {
            // a short quiet period lets the connections of a client closed with reports in flight release on the
            // loops instead of being rejected by terminated ones
            eventLoops.eventLoopGroup().shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
            eventLoops = null;
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor shared = new ScheduledThreadPoolExecutor(1, new ThreadFactoryBuilder()
                    .threadNamePrefix("aws-sfn-sdk-timer").daemonThreads(true).build());
            // a time limit is cancelled when its call ends: it goes at once instead of waiting out its delay
            shared.setRemoveOnCancelPolicy(true);
            timer = shared;
        }
        return timer;
    }

    private synchronized SdkEventLoopGroup eventLoops() {
        if (eventLoops == null) {
            eventLoops = SdkEventLoopGroup.builder()
                    .threadFactory(new ThreadFactoryBuilder().threadNamePrefix("aws-sfn-netty").daemonThreads(true)
                            .build())
                    .build();
        }
        return eventLoops;
    }

    /**
     * The mode given, else the one the SDK would resolve itself (AWS_RETRY_MODE, profile, else LEGACY). An adaptive mode
     * from there is STANDARD plus a client-side rate limiter that learns only from throttling the SDK retries; here the
     * endpoint's pacer retries throttling, so it is STANDARD.
     */
    static RetryMode retryMode(SfnTaskConfiguration configuration) {
        if (configuration.getRetryMode() != null) {
            return configuration.getRetryMode();
        }
        RetryMode resolved = RetryMode.resolver().defaultRetryMode(RetryMode.LEGACY).resolve();
        return resolved == RetryMode.ADAPTIVE || resolved == RetryMode.ADAPTIVE_V2 ? RetryMode.STANDARD : resolved;
    }

    static ClientOverrideConfiguration overrideConfiguration(SfnTaskConfiguration configuration) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        RetryMode mode = retryMode(configuration);
        RetryStrategy.Builder<?, ?> strategy = AwsRetryStrategy.forRetryMode(mode).toBuilder()
                // the SDK does not count KMS throttling as throttling, yet it is as transient as any other
                .retryOnException(KmsThrottlingException.class)
                // an attempt cut at apiCallAttemptTimeout is retried, but the Netty client can fail the retry at once
                // with the cut attempt's cancellation (FutureCancelledException caused by the same timeout, seen on
                // 2.41 and 2.57), which the SDK does not retry: one attempt lost to the race, not to the service
                .retryOnRootCause(ApiCallAttemptTimeoutException.class);
        if (configuration.getMaxAttempts() != null) {
            strategy.maxAttempts(configuration.getMaxAttempts());
        }
        override.retryStrategy(new ThrottlingLeftToPacer(strategy.build()));
        if (configuration.getApiCallTimeout() > 0) {
            override.apiCallTimeout(Duration.ofMillis(configuration.getApiCallTimeout()));
        }
        if (configuration.getApiCallAttemptTimeout() > 0) {
            override.apiCallAttemptTimeout(Duration.ofMillis(configuration.getApiCallAttemptTimeout()));
        }
        return override.build();
    }
}
