package io.github.sfnfail.camel.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the soak's stand-in records: every logical task with its attempts (each a token handed to one poll), every
 * answer and heartbeat, timeouts and hand-outs to dead polls; and per second of the run, the counts and gauges of the
 * timeline. The stand-in writes it under its own lock; the report reads it once the stand-in has stopped.
 */
final class SoakLedger {

    /** The APIs a worker calls, each with a quota bucket of its own. */
    enum Api {
        GET_ACTIVITY_TASK("GetActivityTask"),
        SEND_TASK_SUCCESS("SendTaskSuccess"),
        SEND_TASK_FAILURE("SendTaskFailure"),
        SEND_TASK_HEARTBEAT("SendTaskHeartbeat");

        final String action;

        Api(String action) {
            this.action = action;
        }

        static Api of(String action) {
            for (Api api : values()) {
                if (api.action.equals(action)) {
                    return api;
                }
            }
            return null;
        }
    }

    /** Where a logical task is: the last three are final, as the state machine sees them. */
    enum TaskState {
        WAITING, IN_HAND, RETRY_PENDING, SUCCEEDED, FAILED, TIMED_OUT, RETRIES_EXHAUSTED;

        boolean isFinal() {
            return ordinal() >= SUCCEEDED.ordinal();
        }
    }

    /** How a token reached its poll. */
    enum HandOut {
        /** written on a live connection */
        WRITTEN,
        /** the poll's connection had closed already: lost on the wire */
        CONNECTION_CLOSED,
        /** the write of the poll's answer failed: lost on the wire */
        WRITE_FAILED,
        /** the poll's worker had been killed (SIGKILL) before the task was handed to it: lost on the wire */
        WORKER_KILLED;

        boolean isDeadPoll() {
            return this != WRITTEN;
        }
    }

    /** How a token was closed. */
    enum Close {
        SUCCEEDED, FAILED, TIMED_OUT
    }

    /** One task of a state machine's execution, offered once and again after each Retry. */
    static final class Task {
        final int id;
        final long offeredAt;
        final long workMillis;
        final boolean routeFails;
        final List<Attempt> attempts = new ArrayList<>(1);
        TaskState state = TaskState.WAITING;
        long finalAt;
        /** accepted SendTaskSuccess or SendTaskFailure that ended the task (not those a Retry followed) */
        int finalAnswers;

        Task(int id, long offeredAt, long workMillis, boolean routeFails) {
            this.id = id;
            this.offeredAt = offeredAt;
            this.workMillis = workMillis;
            this.routeFails = routeFails;
        }

        Attempt lastAttempt() {
            return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        }
    }

    /** One token: one hand-out of a task to one poll. */
    static final class Attempt {
        final Task task;
        final int number;
        final long nonce;
        final String worker;
        final long pollArrivedAt;
        final Conn conn;
        final long handedAt;
        HandOut handOut = HandOut.WRITTEN;
        /** the SDK's amz-sdk-request header of the poll it was handed to ("attempt=2; max=3": a retry), or null */
        String pollSdkRequest;
        /** the requests its poll's connection had carried when the task was handed to it (the poll included) */
        int connRequestsAtHandOut;
        /** when the worker holding this token was killed while the token was open (0: never) */
        long inHandAtKill;
        /** in hand at a SIGKILL, and in the journal file the killed worker left (journal on) */
        boolean journaledAtKill;
        long lastBeat;
        int heartbeats;
        int refusedHeartbeats;
        long closedAt;
        Close close;
        String error;
        /** every SendTaskSuccess and SendTaskFailure that arrived for this token, accepted or refused */
        final List<Answer> answers = new ArrayList<>(1);

        Attempt(Task task, int number, long nonce, String worker, long pollArrivedAt, Conn conn, long handedAt) {
            this.task = task;
            this.number = number;
            this.nonce = nonce;
            this.worker = worker;
            this.pollArrivedAt = pollArrivedAt;
            this.conn = conn;
            this.handedAt = handedAt;
            this.lastBeat = handedAt;
        }

        boolean isOpen() {
            return close == null;
        }
    }

    /**
     * A SendTaskSuccess or SendTaskFailure that arrived: accepted, or refused as closed (TaskTimedOut); whether its
     * reply was then lost (reset after it was processed) or made late (a slow reply, which the sender's attempt watch
     * may give up on): either makes the sender send it again, and the second finds the task closed.
     */
    record Answer(long at, Api api, String error, boolean accepted, boolean replyLost, boolean replyLate) {

        boolean sameAs(Answer other) {
            return api == other.api && java.util.Objects.equals(error, other.error);
        }
    }

    /** A client connection, how many requests came on it, and when it closed. */
    static final class Conn {
        final long id;
        final long openedAt;
        volatile long closedAt;
        /** what the stand-in saw of the close: the client's end of stream, a reset, or its own close */
        volatile String closedHow;
        volatile int requests;
        /** the amz-sdk-request header of the latest poll on this connection */
        volatile String pollSdkRequest;
        /** polls of this connection being held now (more than one would mean the client gave up a poll and sent another) */
        int heldPolls;
        /** requests that came on this connection while one of its polls was held */
        int requestsWhileHeld;

        Conn(long id, long openedAt) {
            this.id = id;
            this.openedAt = openedAt;
        }
    }

    /** Counts per second of the run, and gauges sampled each second. */
    enum Series {
        OFFERED, COMPLETED, ANSWERS, STOPPED, LOST, HEARTBEATS, THROTTLED, FAULTS, TIMEOUTS, DEAD_POLL, IN_HAND,
        WAITING, POLLS_OPEN, REQUESTS
    }

    final long startedAt;
    final int seconds;
    final List<Task> tasks = new ArrayList<>();
    private final AtomicLongArray[] series = new AtomicLongArray[Series.values().length];
    final long[] throttled = new long[Api.values().length];
    final long[] requests = new long[Api.values().length];
    long faults5xx;
    long resetsBefore;
    long resetsAfter;
    long slowReplies;
    long outputMismatches;
    long unknownTokens;
    /** requests that came on a connection while a poll of it was held: a client that gave up a poll it kept open */
    long requestsWhileHeld;

    SoakLedger(long startedAt, int seconds) {
        this.startedAt = startedAt;
        this.seconds = seconds;
        for (int i = 0; i < series.length; i++) {
            series[i] = new AtomicLongArray(seconds);
        }
    }

    int second(long nanos) {
        long second = TimeUnit.NANOSECONDS.toSeconds(nanos - startedAt);
        return (int) Math.max(0, Math.min(seconds - 1, second));
    }

    void count(Series which, long nanos) {
        series[which.ordinal()].incrementAndGet(second(nanos));
    }

    void gauge(Series which, long nanos, long value) {
        series[which.ordinal()].set(second(nanos), value);
    }

    long at(Series which, int second) {
        return series[which.ordinal()].get(second);
    }

    /** Seconds since the ledger started, of a {@link System#nanoTime()}. */
    double secondsOf(long nanos) {
        return (nanos - startedAt) / 1e9;
    }
}
