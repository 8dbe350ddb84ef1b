package io.github.sfnfail.camel.engine;

import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK's retry strategy for the clients the component builds, less its retries of throttling: the endpoint's
 * {@link ThrottlePacer} sends throttled calls again at the rate the service admits, and must see every throttled
 * call to learn that rate. Everything else (5xx, I/O errors, attempt timeouts, KMS throttling) is the SDK's, unchanged.
 */
public final class ThrottlingLeftToPacer implements RetryStrategy {

    private final RetryStrategy sdk;

    public ThrottlingLeftToPacer(RetryStrategy sdk) {
        this.sdk = sdk;
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        return sdk.acquireInitialToken(request);
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        if (CallOutcomes.isThrottling(request.failure())) {
            throw new TokenAcquisitionFailedException("Throttled calls are paced by the endpoint", request.token(),
                    request.failure());
        }
        return sdk.refreshRetryToken(request);
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return sdk.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return sdk.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        return sdk.toBuilder();
    }
}
