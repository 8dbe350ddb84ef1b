package io.github.sfnfail.camel.journal;

import org.slf4j.Logger;

/**
 * One kind of fault of a journal (its writes, or its lease): one WARN when it begins, one INFO when it ends, the reason
 * in between for {@link JournalSession#problem()}. Thread-safe.
 */
final class FaultState {

    private final Logger log;
    private final String what;
    private volatile String problem;
    private long failuresInEpisode;

    FaultState(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** The reason while the fault lasts, else null. */
    String problem() {
        return problem;
    }

    /**
     * A failure: the first of an episode logs one WARN (with the error, its messages free of tokens); the others are
     * logged at DEBUG only.
     */
    synchronized void failed(String reason, Throwable redactedError) {
        failuresInEpisode++;
        if (problem == null) {
            log.warn("{}: {}. While this lasts, tasks are not journaled, and a worker that ends abruptly loses the"
                    + " tasks it holds; logged once, the journal keeps trying", what, reason, redactedError);
        } else {
            log.debug("{} failed again: {}", what, reason);
        }
        problem = reason;
    }

    /** A success: ends an episode, with one INFO line. */
    void succeeded() {
        if (problem == null) {
            return;
        }
        synchronized (this) {
            if (problem != null) {
                log.info("{} works again, after {} failed attempt(s) (last: {})", what, failuresInEpisode, problem);
                problem = null;
                failuresInEpisode = 0;
            }
        }
    }
}
