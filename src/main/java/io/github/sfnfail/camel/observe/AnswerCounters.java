package io.github.sfnfail.camel.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.sfnfail.camel.engine.AnswerTally;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException.Part;

/**
 * What the answers of one endpoint (failure reports, success reports or heartbeats) did, for operators: counted on the
 * call path without a lock and without allocating (an error code seen for the first time adds one counter). Read by
 * JMX, the aws-sfn dev console and Micrometer.
 */
public final class AnswerCounters implements AnswerTally {

    private final LongAdder sent = new LongAdder();
    private final LongAdder landed = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder closedByThisReport = new LongAdder();
    private final LongAdder kmsFallbacks = new LongAdder();
    private final LongAdder causesCut = new LongAdder();
    private final LongAdder throttledCalls = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final Map<Part, LongAdder> refused = new java.util.EnumMap<>(Part.class);
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private volatile Consumer<String> newErrorCodeListener = code -> {
    };
    private volatile String lastRequestId;

    public AnswerCounters() {
        for (Part part : Part.values()) {
            refused.put(part, new LongAdder());
        }
    }

    @Override
    public void countRefused(Part part) {
        refused.get(part).increment();
    }

    @Override
    public void countSent() {
        sent.increment();
        inFlight.increment();
    }

    @Override
    public void countLanded(String requestId, boolean kmsFallback) {
        inFlight.decrement();
        landed.increment();
        if (kmsFallback) {
            kmsFallbacks.increment();
        }
        lastRequestId = requestId;
    }

    @Override
    public void countClosed(boolean byThisReport) {
        inFlight.decrement();
        closed.increment();
        if (byThisReport) {
            closedByThisReport.increment();
        }
    }

    @Override
    public void countFailed(String errorCode) {
        inFlight.decrement();
        LongAdder counter = failed.get(errorCode);
        if (counter == null) {
            counter = failed.computeIfAbsent(errorCode, code -> new LongAdder());
            newErrorCodeListener.accept(errorCode);
        }
        counter.increment();
    }

    @Override
    public void countCauseCut() {
        causesCut.increment();
    }

    @Override
    public void countThrottledCall() {
        throttledCalls.increment();
    }

    /** Told of each error code the first time a report fails with it (Micrometer adds a meter for it). */
    public void onNewErrorCode(Consumer<String> listener) {
        this.newErrorCodeListener = listener;
    }

    /** Reports handed to Step Functions (each counted once, however many attempts it took). */
    public long sent() {
        return sent.sum();
    }

    /** Reports Step Functions accepted: the task is failed. */
    public long landed() {
        return landed.sum();
    }

    /** Reports that found their task already closed, and were done (ignoreClosedTask, or closed by this report). */
    public long closedTasks() {
        return closed.sum();
    }

    /** Of the closed tasks, those closed by an earlier attempt or delivery of the same report whose answer was lost. */
    public long closedByThisReport() {
        return closedByThisReport.sum();
    }

    /** Reports that landed without error and cause because KMS refused the state machine's key. */
    public long kmsFallbacks() {
        return kmsFallbacks.sum();
    }

    /** Reports refused before any call, by the part that was wrong. */
    public long refused(Part part) {
        return refused.get(part).sum();
    }

    /** Reports refused before any call, in all. */
    public long refused() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Causes cut to the 32768 characters Step Functions accepts. */
    public long causesCut() {
        return causesCut.sum();
    }

    /** Calls Step Functions answered with throttling (each throttled attempt, not each report). */
    public long throttledCalls() {
        return throttledCalls.sum();
    }

    /** Reports sent and not answered yet (waiting for their turn under throttling included). */
    public long inFlight() {
        return inFlight.sum();
    }

    /** Reports that failed, by AWS error code (or the client exception's class when Step Functions did not answer). */
    public Map<String, Long> failedByErrorCode() {
        Map<String, Long> copy = new TreeMap<>();
        failed.forEach((code, count) -> copy.put(code, count.sum()));
        return copy;
    }

    /** Reports that failed with this AWS error code. */
    public long failed(String errorCode) {
        LongAdder counter = failed.get(errorCode);
        return counter == null ? 0 : counter.sum();
    }

    /** Reports that failed, in all. */
    public long failed() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Every figure by name, in a fixed order: what the dev console shows. */
    public Map<String, Object> asMap() {
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        figures.put("sent", sent());
        figures.put("landed", landed());
        figures.put("closedTasks", closedTasks());
        figures.put("closedByThisReport", closedByThisReport());
        figures.put("kmsFallbacks", kmsFallbacks());
        Map<String, Object> refusedByPart = new java.util.LinkedHashMap<>();
        for (Part part : Part.values()) {
            refusedByPart.put(part.name().toLowerCase(java.util.Locale.ROOT), refused(part));
        }
        figures.put("refused", refusedByPart);
        figures.put("causesCut", causesCut());
        figures.put("failed", failedByErrorCode());
        figures.put("throttledCalls", throttledCalls());
        figures.put("inFlight", inFlight());
        figures.put("lastRequestId", lastRequestId());
        return figures;
    }

    /** The request id of the latest report that landed. */
    public String lastRequestId() {
        return lastRequestId;
    }
}
