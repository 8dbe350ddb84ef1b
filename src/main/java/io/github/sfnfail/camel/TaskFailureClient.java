package io.github.sfnfail.camel;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;

/**
 * The one call the producer makes, over either kind of SDK client, so that the producer has a single asynchronous path.
 */
interface TaskFailureClient {

    CompletableFuture<SendTaskFailureResponse> sendTaskFailure(SendTaskFailureRequest request);

    /** Whether the SDK client carries {@link AttemptOutcomes#WATCHER} (the clients the component builds do). */
    boolean watchesAttempts();

    /** Releases the SDK client (only called for a client the endpoint built). */
    void close();

    static TaskFailureClient of(SfnAsyncClient client) {
        boolean watches = watches(client);
        return new TaskFailureClient() {
            @Override
            public boolean watchesAttempts() {
                return watches;
            }

            @Override
            public CompletableFuture<SendTaskFailureResponse> sendTaskFailure(SendTaskFailureRequest request) {
                return client.sendTaskFailure(request);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** A synchronous client holds the calling thread; the future it returns is already complete. */
    static TaskFailureClient of(SfnClient client) {
        boolean watches = watches(client);
        return new TaskFailureClient() {
            @Override
            public boolean watchesAttempts() {
                return watches;
            }

            @Override
            public CompletableFuture<SendTaskFailureResponse> sendTaskFailure(SendTaskFailureRequest request) {
                try {
                    return CompletableFuture.completedFuture(client.sendTaskFailure(request));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static boolean watches(SdkClient client) {
        return client.serviceClientConfiguration().overrideConfiguration().executionInterceptors()
                .contains(AttemptOutcomes.WATCHER);
    }
}
