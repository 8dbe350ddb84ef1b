package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * What the engine answers a task through: a started endpoint, or the resources a task or poll holds (see
 * {@link CallResources}). Every scheme's endpoint is one; the engine needs nothing else of it.
 */
public interface AnswerChannel {

    /**
     * Sends an answer, paced under its quota, and settles what its reply means.
     *
     * @param  earlierDeliveryUnknown whether an earlier delivery of the same answer ended with an unknown outcome
     * @param  kmsFallback            the request to send once more when KMS refused the first, or null for none
     * @throws IllegalStateException  when the channel is closed
     */
    <R extends SfnRequest, S extends SfnResponse> CompletableFuture<AnswerSender.Result<S>> send(
            TaskCall<R, S> call, R request, boolean earlierDeliveryUnknown, UnaryOperator<R> kmsFallback);

    /** The scheduler of timed work (periodic heartbeats, retries, backoff); null once the channel takes no more. */
    ScheduledExecutorService scheduler();

    /** What counts the answers. */
    AnswerTally tally();

    /** The endpoint, for log lines (its base URI, no secrets). */
    String name();
}
