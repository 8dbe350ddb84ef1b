package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * The calls an endpoint makes, over either kind of SDK client, so that every scheme has a single asynchronous path.
 */
public interface TaskCalls {

    <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request);

    /** Whether the SDK client carries {@link AttemptWatcher} (any built with this jar on its class path does). */
    boolean watchesAttempts();

    /** Releases the SDK client (only called for a client the endpoint built). */
    void close();

    static TaskCalls of(SfnAsyncClient client) {
        boolean watches = watches(client);
        return new TaskCalls() {
            @Override
            public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request) {
                return call.async().apply(client, request);
            }

            @Override
            public boolean watchesAttempts() {
                return watches;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /**
     * A synchronous client blocks the thread that calls it, so its calls run on the given executor and never on the
     * caller's (the pacer's drain, a route's thread): concurrent calls are in flight together, as with an asynchronous
     * client. Anything a call throws, an {@link Error} too, fails that call's future.
     */
    static TaskCalls of(SfnClient client, Executor calls) {
        boolean watches = watches(client);
        return new TaskCalls() {
            @Override
            public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request) {
                CompletableFuture<S> answer = new CompletableFuture<>();
                calls.execute(() -> {
                    try {
                        answer.complete(call.sync().apply(client, request));
                    } catch (Throwable e) {
                        answer.completeExceptionally(e);
                    }
                });
                return answer;
            }

            @Override
            public boolean watchesAttempts() {
                return watches;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static boolean watches(SdkClient client) {
        return client.serviceClientConfiguration().overrideConfiguration().executionInterceptors()
                .stream().anyMatch(AttemptWatcher.class::isInstance);
    }
}
