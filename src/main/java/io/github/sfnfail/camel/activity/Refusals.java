package io.github.sfnfail.camel.activity;

/**
 * The words a worker fails a task with when it cannot run it or stops while it runs: the error name a state machine's
 * Retry matches, and a cause that says truly whether any work was done.
 */
final class Refusals {

    /**
     * The error name of a task failed because its worker had stopped, was stopping, or stopped while the route ran it:
     * a state machine's Retry on it hands the task to a worker that runs.
     */
    static final String WORKER_STOPPED = SfnActivityConsumer.WORKER_STOPPED;

    /**
     * The error name of a task its worker had in hand when it ended abruptly (killed, crashed, its host lost), failed by
     * the next worker from the task journal: a state machine's Retry on it hands the task to a worker that runs.
     */
    static final String WORKER_LOST = SfnActivityConsumer.WORKER_LOST;

    private Refusals() {
    }

    /** A task a poll brought when no route of the worker could run it (a poll left open past a stop brought it). */
    static String noRouteRuns(String workerName) {
        return "The Camel route of activity worker " + workerName + " stopped before it could run this task (a long "
               + "poll left open past the stop brought it): no work was done, and a Retry on " + WORKER_STOPPED
               + " hands it to a worker that runs";
    }

    /** A task that came once a graceful stop had stopped starting tasks. */
    static String stopping(String workerName) {
        return "The Camel route of activity worker " + workerName + " was stopping and starts no new task (the task came "
               + "after the stop had waited for the tasks in hand): no work was done, and a Retry on " + WORKER_STOPPED
               + " hands it to a worker that runs";
    }

    /** A task whose Camel exchange could not be made. */
    static String couldNotStart(String workerName, Throwable cause) {
        return "Activity worker " + workerName + " could not start a Camel exchange for this task ("
               + cause.getClass().getName() + "): no work was done, and a Retry on " + WORKER_STOPPED
               + " hands it to another worker";
    }

    /**
     * A task the route still ran when its consumer stopped.
     *
     * @param afterTimeout whether the stop gave up waiting after the shutdown timeout (else it was stopped at once)
     */
    static String givenUp(String workerName, boolean afterTimeout) {
        return "The Camel route of activity worker " + workerName + " was stopped while it ran this task ("
               + (afterTimeout ? "the stop gave up waiting for it after the shutdown timeout"
                       : "a forced stop, which does not wait for the tasks in hand")
               + "): the work may be partly done, and a Retry on " + WORKER_STOPPED + " hands it to a worker that runs";
    }

    /**
     * A task the journal says a worker that ended abruptly had in hand.
     *
     * @param lostBy the name of the worker that had it
     * @param since  when that worker recorded it
     */
    static String lost(String lostBy, java.time.Instant since) {
        return "Activity worker " + lostBy + " ended abruptly (killed, crashed, or its host lost) while this task was in "
               + "hand, since " + since + ": the work may be partly done, and a Retry on " + WORKER_LOST
               + " hands it to a worker that runs";
    }
}
