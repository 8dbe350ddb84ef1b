package io.github.sfnfail.camel.engine;

/**
 * What the engine tells about the answers it sends, for whoever counts them (the endpoint's counters, read by JMX, the
 * dev console and Micrometer). Called on the call path: an implementation must not block or allocate much.
 */
public interface AnswerTally {

    /** An answer refused before any call, for this part. */
    void countRefused(InvalidTaskAnswerException.Part part);

    /** An answer handed to Step Functions (once, however many attempts it takes). */
    void countSent();

    /** An answer that landed. */
    void countLanded(String requestId, boolean kmsFallback);

    /** An answer that found its task closed and is done. */
    void countClosed(boolean byThisReport);

    /** An answer that failed, by AWS error code, or the exception's class when Step Functions did not answer. */
    void countFailed(String errorCode);

    /** A call Step Functions throttled (each throttled attempt). */
    void countThrottledCall();

    /** A cause cut to the length Step Functions accepts. */
    void countCauseCut();

    /** Counts how an answer ended: landed, found its task closed, or failed. */
    default void countResult(AnswerSender.Result<?> result) {
        if (result.error() != null) {
            countFailed(result.error());
        } else if (result.closure() != AnswerSender.Closure.NONE) {
            countClosed(result.closure() == AnswerSender.Closure.CLOSED_BY_THIS_REPORT);
        } else {
            countLanded(result.response().responseMetadata().requestId(), result.kmsFallback());
        }
    }

    /** Counts an answer that failed with this error. */
    default void countFailed(Throwable error) {
        String code = CallOutcomes.errorCode(error);
        countFailed(code != null ? code : error.getClass().getSimpleName());
    }
}
