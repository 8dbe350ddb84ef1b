package io.github.sfnfail.camel;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;

/**
 * Sends one failure report and settles what its answer means, so that no execution is left hanging over an answer
 * that can be understood:
 * <ul>
 * <li>a closed task found after an attempt whose answer was lost means that attempt landed: the report is done;</li>
 * <li>a closed task otherwise was closed by someone else: done only with ignoreClosedTask;</li>
 * <li>KMS refusing the state machine's key (access denied, key disabled): with kmsFallback the report is sent again
 * without error and cause, which Step Functions accepts without any KMS permission.</li>
 * </ul>
 */
final class FailureReportSender {

    private static final Logger LOG = LoggerFactory.getLogger(FailureReportSender.class);

    /** How a report ended. Exactly one of response and error is set, unless the task was found closed. */
    record ReportResult(SendTaskFailureResponse response, Throwable error, Closure closure, boolean kmsFallback,
                        boolean unknownOutcome) {
    }

    enum Closure {
        /** The report landed now, or failed. */
        NONE,
        /** The task was closed by someone else (timed out, a duplicate report) and ignoreClosedTask is on. */
        CLOSED,
        /** The task was closed by an earlier attempt or delivery of this same report, whose answer was lost. */
        CLOSED_BY_THIS_REPORT
    }

    private final boolean ignoreClosedTask;
    private final boolean kmsFallback;

    FailureReportSender(SfnFailConfiguration configuration) {
        this.ignoreClosedTask = configuration.isIgnoreClosedTask();
        this.kmsFallback = configuration.isKmsFallback();
    }

    /**
     * @param earlierDeliveryUnknown whether an earlier delivery of the same exchange (Camel redelivery) failed with an
     *                               unknown outcome
     */
    CompletableFuture<ReportResult> send(
            TaskFailureClient client, SendTaskFailureRequest request, boolean earlierDeliveryUnknown) {
        AttemptOutcomes attempts = new AttemptOutcomes();
        return sendWatched(client, request, attempts).handle((response, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(landed(response, false));
            }
            if (kmsFallback && ReportOutcomes.isKmsRefusal(error) && (request.error() != null || request.cause() != null)) {
                return sendWithoutDetails(client, request, error);
            }
            return CompletableFuture.completedFuture(
                    settle(request, error, earlierDeliveryUnknown || attempts.hadUnknownOutcome()));
        }).thenCompose(result -> result);
    }

    private CompletableFuture<ReportResult> sendWithoutDetails(
            TaskFailureClient client, SendTaskFailureRequest request, Throwable kmsError) {
        LOG.warn("Step Functions could not encrypt the error and cause of the report for task {} with the state "
                 + "machine's KMS key ({}): sending it again without them, so that the execution fails instead of "
                 + "hanging; the error name and cause are dropped (kmsFallback=true)",
                TaskTokens.mask(request.taskToken()), ReportOutcomes.errorCode(kmsError));
        SendTaskFailureRequest withoutDetails = request.toBuilder().error(null).cause(null).build();
        AttemptOutcomes attempts = new AttemptOutcomes();
        return sendWatched(client, withoutDetails, attempts).handle((response, error) -> {
            if (error == null) {
                return landed(response, true);
            }
            Throwable failure = ReportOutcomes.unwrap(error);
            failure.addSuppressed(ReportOutcomes.unwrap(kmsError));
            return settle(withoutDetails, failure, attempts.hadUnknownOutcome());
        });
    }

    private static CompletableFuture<SendTaskFailureResponse> sendWatched(
            TaskFailureClient client, SendTaskFailureRequest request, AttemptOutcomes attempts) {
        return client.sendTaskFailure(attempts.attachTo(request, client.watchesAttempts()));
    }

    /**
     * @param earlierAttemptUnknown whether an earlier attempt or delivery of this report may have landed unanswered
     */
    private ReportResult settle(SendTaskFailureRequest request, Throwable error, boolean earlierAttemptUnknown) {
        boolean unknown = ReportOutcomes.hadUnknownOutcome(error);
        if (ReportOutcomes.isClosedTask(error)) {
            if (earlierAttemptUnknown) {
                LOG.info("Task {} was closed when its failure report was sent again after an attempt whose answer was "
                         + "lost: that attempt most likely landed, so the report is done",
                        TaskTokens.mask(request.taskToken()));
                return new ReportResult(null, null, Closure.CLOSED_BY_THIS_REPORT, false, false);
            }
            if (ignoreClosedTask) {
                LOG.info("Task {} was already closed (timed out, or already completed or failed): its failure report "
                         + "is not needed (ignoreClosedTask=true)",
                        TaskTokens.mask(request.taskToken()));
                return new ReportResult(null, null, Closure.CLOSED, false, false);
            }
        }
        return new ReportResult(null, SendTaskFailureErrors.explain(error, request.taskToken()), Closure.NONE, false,
                unknown || earlierAttemptUnknown);
    }

    private static ReportResult landed(SendTaskFailureResponse response, boolean kmsFallback) {
        return new ReportResult(response, null, Closure.NONE, kmsFallback, false);
    }
}
