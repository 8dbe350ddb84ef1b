package io.github.sfnfail.camel.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A task a worker had in hand when it ended abruptly.
 *
 * <p>{@link #toString()} masks the token (a bearer credential): only a short prefix and its length are shown.
 *
 * @param token the task token, in full
 * @param workerName the name of the worker that held the task
 * @param since when that worker recorded the task in the journal
 */
public record LostTask(String token, String workerName, Instant since) {

    /**
     * A lost task.
     *
     * @param token the task token, in full
     * @param workerName the name of the worker that held the task
     * @param since when that worker recorded the task in the journal
     */
    public LostTask {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(workerName, "workerName");
        Objects.requireNonNull(since, "since");
    }

    /** The task with its token masked, for example {@code LostTask[token=AQCE…(512 chars), workerName=w1, since=…]}. */
    @Override
    public String toString() {
        return "LostTask[token=" + Tokens.mask(token) + ", workerName=" + workerName + ", since=" + since + "]";
    }
}
