package io.github.sfnfail.camel.activity;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long one poller waits after its failed polls (access denied, no such activity, throttling, too many workers,
 * 5xx, network): doubling from {@value #FIRST_MILLIS} ms up to {@value #MAX_MILLIS} ms, jittered, so a fleet does not
 * hammer a failing service in step. Each poller backs off on its own failures only: a blip that fails every open poll
 * once costs each of them one short wait, and one poller's success does not hurry another that still fails.
 */
final class PollBackoff {

    static final long FIRST_MILLIS = 200;
    static final long MAX_MILLIS = 20_000;

    /** Read and written by one poller, whose calls follow each other. */
    private volatile int failures;

    /**
     * @return how long to wait before the next poll, in milliseconds
     */
    long failed() {
        int failed = failures + 1;
        failures = failed;
        long backoff = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(failed - 1, 16));
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    /** How many polls failed in a row. */
    int failures() {
        return failures;
    }

    void succeeded() {
        failures = 0;
    }
}
