package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * The calls an endpoint makes, over either kind of SDK client, so that every scheme has a single asynchronous path.
 */
public interface TaskCalls {

    /**
     * @param attempts the watch of the call's attempts (see {@link AttemptOutcomes}), or null for a call whose lost
     *                 answers do not matter (a poll, a health check's probe)
     */
    <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request,
                                                                            AttemptOutcomes attempts);

    /** A call with no watch of its attempts. */
    default <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request) {
        return send(call, request, null);
    }

    /** Whether the SDK client carries {@link AttemptWatcher} (any built with this jar on its class path does). */
    boolean watchesAttempts();

    /** Releases the SDK client (only called for a client the endpoint built). */
    void close();

    static TaskCalls of(SfnAsyncClient client) {
        boolean watches = watches(client);
        return new TaskCalls() {
            @Override
            public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request,
                                                                                           AttemptOutcomes attempts) {
                if (attempts == null) {
                    return call.async().apply(client, request);
                }
                return attempts.watch(request, watches, watched -> call.async().apply(client, watched));
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
     * caller's (the pacer's drain, a route's thread, a timer): concurrent calls are in flight together, as with an
     * asynchronous client. Anything a call throws, an {@link Error} too, fails that call's future, and so does an
     * executor that refuses the call.
     */
    static TaskCalls of(SfnClient client, Executor calls) {
        boolean watches = watches(client);
        return new TaskCalls() {
            @Override
            public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request,
                                                                                           AttemptOutcomes attempts) {
                CompletableFuture<S> answer = new CompletableFuture<>();
                try {
                    calls.execute(() -> {
                        try {
                            answer.complete(attempts == null ? call.sync().apply(client, request)
                                    : attempts.watch(request, watches, watched -> call.sync().apply(client, watched)));
                        } catch (Throwable e) {
                            answer.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException stopped) {
                    // the endpoint is stopping: the call fails, it does not run on the caller's thread
                    answer.completeExceptionally(stopped);
                }
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

    /** False too for a decorator of the application's that does not show its configuration: it gets the plugin. */
    private static boolean watches(SdkClient client) {
        try {
            return client.serviceClientConfiguration().overrideConfiguration().executionInterceptors()
                    .stream().anyMatch(AttemptWatcher.class::isInstance);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
