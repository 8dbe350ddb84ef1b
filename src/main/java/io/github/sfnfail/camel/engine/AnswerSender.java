package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * Sends one answer (failure report, success report, heartbeat) and settles what its reply means, so that no execution
 * is left hanging over a reply that can be understood:
 * <ul>
 * <li>a closed task found after an attempt whose reply was lost means that attempt landed: the answer is done;</li>
 * <li>a closed task otherwise was closed by someone else: done only with ignoreClosedTask;</li>
 * <li>KMS refusing the state machine's key (access denied, key disabled): where the scheme has a fallback (a failure
 * report without error and cause, which Step Functions accepts without any KMS permission), it is sent once more.</li>
 * </ul>
 */
public final class AnswerSender {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerSender.class);

    /** How an answer ended. Exactly one of response and error is set, unless the task was found closed. */
    public record Result<S extends SfnResponse>(S response, Throwable error, Closure closure, boolean kmsFallback,
                                                boolean unknownOutcome) {
    }

    public enum Closure {
        /** The answer landed now, or failed. */
        NONE,
        /** The task was closed by someone else (timed out, a duplicate answer) and ignoreClosedTask is on. */
        CLOSED,
        /** The task was closed by an earlier attempt or delivery of this same answer, whose reply was lost. */
        CLOSED_BY_THIS_REPORT
    }

    private final boolean ignoreClosedTask;
    private final String where;

    /**
     * @param where where the calls go, for the hints of errors that depend on it ("in region eu-west-1")
     */
    public AnswerSender(boolean ignoreClosedTask, String where) {
        this.ignoreClosedTask = ignoreClosedTask;
        this.where = where;
    }

    /**
     * @param earlierDeliveryUnknown whether an earlier delivery of the same answer (Camel redelivery) failed with an
     *                               unknown outcome
     * @param kmsFallback            the request to send once more when KMS refused the first, or null for none
     */
    public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<Result<S>> send(
            TaskCalls client, TaskCall<R, S> call, R request, boolean earlierDeliveryUnknown,
            UnaryOperator<R> kmsFallback) {
        AttemptOutcomes attempts = new AttemptOutcomes();
        return sendWatched(client, call, request, attempts).handle((response, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(landed(response, false));
            }
            R fallback = kmsFallback != null && CallOutcomes.isKmsRefusal(error) ? kmsFallback.apply(request) : null;
            if (fallback != null) {
                return sendFallback(client, call, request, fallback, error);
            }
            return CompletableFuture.completedFuture(
                    settle(call, request, error, earlierDeliveryUnknown || attempts.hadUnknownOutcome()));
        }).thenCompose(result -> result);
    }

    private <R extends SfnRequest, S extends SfnResponse> CompletableFuture<Result<S>> sendFallback(
            TaskCalls client, TaskCall<R, S> call, R request, R fallback, Throwable kmsError) {
        LOG.warn("Step Functions could not encrypt the {} for task {} with the state machine's KMS key ({}): sending it "
                 + "again without error and cause, so that the execution fails instead of hanging; the error name and "
                 + "cause are dropped (kmsFallback=true)",
                call.noun(), TaskTokens.mask(call.token().apply(request)), CallOutcomes.errorCode(kmsError));
        AttemptOutcomes attempts = new AttemptOutcomes();
        return sendWatched(client, call, fallback, attempts).handle((response, error) -> {
            if (error == null) {
                return landed(response, true);
            }
            Throwable failure = CallOutcomes.unwrap(error);
            failure.addSuppressed(CallOutcomes.unwrap(kmsError));
            return settle(call, fallback, failure, attempts.hadUnknownOutcome());
        });
    }

    private static <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> sendWatched(
            TaskCalls client, TaskCall<R, S> call, R request, AttemptOutcomes attempts) {
        return client.send(call, request, attempts);
    }

    /**
     * @param earlierAttemptUnknown whether an earlier attempt or delivery of this answer may have landed unanswered
     */
    private <R extends SfnRequest, S extends SfnResponse> Result<S> settle(
            TaskCall<R, S> call, R request, Throwable error, boolean earlierAttemptUnknown) {
        String token = call.token().apply(request);
        boolean unknown = CallOutcomes.hadUnknownOutcome(error);
        if (CallOutcomes.isClosedTask(error)) {
            if (earlierAttemptUnknown && call.closesTask()) {
                LOG.info("Task {} was closed when its {} was sent again after an attempt whose answer was lost: that "
                         + "attempt most likely landed, so the {} is done",
                        TaskTokens.mask(token), call.noun(), call.noun());
                return new Result<>(null, null, Closure.CLOSED_BY_THIS_REPORT, false, false);
            }
            if (ignoreClosedTask) {
                LOG.info("Task {} was already closed (timed out, stopped, or already answered): its {} is not needed "
                         + "(ignoreClosedTask=true)",
                        TaskTokens.mask(token), call.noun());
                return new Result<>(null, null, Closure.CLOSED, false, false);
            }
        }
        return new Result<>(null, SfnErrors.explain(error, token, call, where), Closure.NONE, false,
                unknown || earlierAttemptUnknown);
    }

    private static <S extends SfnResponse> Result<S> landed(S response, boolean kmsFallback) {
        return new Result<>(response, null, Closure.NONE, kmsFallback, false);
    }
}
