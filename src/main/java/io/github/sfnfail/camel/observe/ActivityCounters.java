package io.github.sfnfail.camel.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the polls and tasks of one activity consumer did, for operators, beside the {@link AnswerCounters} of its
 * answers: counted without a lock. Read by JMX, the aws-sfn dev console and Micrometer.
 */
public final class ActivityCounters {

    private final LongAdder pollsOpen = new LongAdder();
    private final LongAdder emptyPolls = new LongAdder();
    private final LongAdder tasksTaken = new LongAdder();
    private final LongAdder tasksInHand = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder answeredByRoute = new LongAdder();
    private final LongAdder answersLost = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder closedByService = new LongAdder();
    private final LongAdder lostFailed = new LongAdder();
    private final Map<String, LongAdder> pollErrors = new ConcurrentHashMap<>();

    public void countPollOpened() {
        pollsOpen.increment();
    }

    public void countPollAnswered(boolean empty) {
        pollsOpen.decrement();
        if (empty) {
            emptyPolls.increment();
        }
    }

    public void countPollFailed(String code) {
        pollsOpen.decrement();
        pollErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void countTaskTaken() {
        tasksTaken.increment();
        tasksInHand.increment();
    }

    public void countTaskDone() {
        tasksInHand.decrement();
    }

    public void countSucceeded() {
        succeeded.increment();
    }

    public void countFailed() {
        failed.increment();
    }

    public void countAnsweredByRoute() {
        answeredByRoute.increment();
    }

    public void countAnswerLost() {
        answersLost.increment();
    }

    public void countHeartbeat() {
        heartbeats.increment();
    }

    /** A task a worker that ended abruptly left in the journal was failed with WorkerLost. */
    public void countLostFailed() {
        lostFailed.increment();
    }

    public void countClosedByService() {
        closedByService.increment();
    }

    /** Long polls open now. */
    public long pollsOpen() {
        return pollsOpen.sum();
    }

    /** Polls that came back without a task. */
    public long emptyPolls() {
        return emptyPolls.sum();
    }

    /** Tasks the polls brought. */
    public long tasksTaken() {
        return tasksTaken.sum();
    }

    /** Tasks taken and not answered yet (their route runs, or their answer is on its way). */
    public long tasksInHand() {
        return tasksInHand.sum();
    }

    /** Tasks answered with SendTaskSuccess by the consumer. */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Tasks answered with SendTaskFailure by the consumer. */
    public long failed() {
        return failed.sum();
    }

    /** Tasks the route answered itself, so the consumer did not. */
    public long answeredByRoute() {
        return answeredByRoute.sum();
    }

    /** Answers that failed for good (logged at ERROR): their executions wait for their heartbeat or timeout. */
    public long answersLost() {
        return answersLost.sum();
    }

    /** Heartbeats sent while tasks ran. */
    public long heartbeats() {
        return heartbeats.sum();
    }

    /** Tasks found closed by the service (stopped, timed out) by a heartbeat or the answer: not answered. */
    public long closedByService() {
        return closedByService.sum();
    }

    /** Tasks a worker that ended abruptly left in the task journal, failed with WorkerLost. */
    public long lostFailed() {
        return lostFailed.sum();
    }

    /** Polls that failed, by AWS error code (or the client exception's class). */
    public Map<String, Long> pollErrors() {
        Map<String, Long> copy = new TreeMap<>();
        pollErrors.forEach((code, count) -> copy.put(code, count.sum()));
        return copy;
    }

    /** Every figure by name, in a fixed order: what the dev console shows. */
    public Map<String, Object> asMap() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pollsOpen", pollsOpen());
        figures.put("emptyPolls", emptyPolls());
        figures.put("tasksTaken", tasksTaken());
        figures.put("tasksInHand", tasksInHand());
        figures.put("succeeded", succeeded());
        figures.put("failed", failed());
        figures.put("answeredByRoute", answeredByRoute());
        figures.put("answersLost", answersLost());
        figures.put("heartbeats", heartbeats());
        figures.put("closedByService", closedByService());
        figures.put("tasksFailedAsLost", lostFailed());
        figures.put("pollErrors", pollErrors());
        return figures;
    }
}
