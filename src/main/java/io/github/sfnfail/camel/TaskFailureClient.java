package io.github.sfnfail.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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

    /**
     * A synchronous client blocks the thread that calls it, so its calls run on the given executor and never on the
     * caller's (the pacer's drain, a route's thread): concurrent reports are in flight together, as with an asynchronous
     * client. Anything a call throws, an {@link Error} too, fails that call's future.
     */
    static TaskFailureClient of(SfnClient client, Executor calls) {
        boolean watches = watches(client);
        return new TaskFailureClient() {
            @Override
            public boolean watchesAttempts() {
                return watches;
            }

            @Override
            public CompletableFuture<SendTaskFailureResponse> sendTaskFailure(SendTaskFailureRequest request) {
                CompletableFuture<SendTaskFailureResponse> answer = new CompletableFuture<>();
                calls.execute(() -> {
                    try {
                        answer.complete(client.sendTaskFailure(request));
                    } catch (Throwable e) {
                        answer.completeExceptionally(e);
                    }
                });
                return answer;
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
