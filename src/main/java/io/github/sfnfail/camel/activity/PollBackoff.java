package io.github.sfnfail.camel.activity;

import java.util.concurrent.ThreadLocalRandom;

import io.github.sfnfail.camel.engine.CallOutcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the pollers of one consumer wait after a failed poll (access denied, no such activity, throttling, too
 * many workers, 5xx, network): doubling from {@value #FIRST_MILLIS} ms up to {@value #MAX_MILLIS} ms, jittered, so a
 * fleet does not hammer a failing service in step; and what operators see: a WARN line when the state changes (the
 * first failure, another error, the recovery at INFO), never one per poll, and the state for the health check.
 */
final class PollBackoff {

    static final long FIRST_MILLIS = 200;
    static final long MAX_MILLIS = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(PollBackoff.class);

    private final String activityArn;
    private int failures;
    private String errorCode;
    private Throwable error;

    PollBackoff(String activityArn) {
        this.activityArn = activityArn;
    }

    /**
     * @return how long to wait before the next poll, in milliseconds
     */
    synchronized long failed(Throwable failure) {
        String code = code(failure);
        failures++;
        if (!code.equals(errorCode)) {
            LOG.warn("Polls for tasks of activity {} fail with {}: backing off up to {} s until they work again ({})",
                    activityArn, code, MAX_MILLIS / 1000, failure.getMessage());
        } else {
            LOG.debug("Poll for tasks of activity {} failed again with {}", activityArn, code);
        }
        errorCode = code;
        error = failure;
        long backoff = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(failures - 1, 16));
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    synchronized void succeeded() {
        if (errorCode != null) {
            LOG.info("Polls for tasks of activity {} work again after {} failures ({})", activityArn, failures,
                    errorCode);
        }
        failures = 0;
        errorCode = null;
        error = null;
    }

    /** The error code the polls fail with now, or null when they work. */
    synchronized String errorCode() {
        return errorCode;
    }

    /** The error the latest poll failed with, or null when they work. */
    synchronized Throwable error() {
        return error;
    }

    /** The AWS error code, or the client exception's class when Step Functions did not answer. */
    static String code(Throwable failure) {
        Throwable cause = CallOutcomes.unwrap(failure);
        String code = CallOutcomes.errorCode(cause);
        return code != null ? code : cause.getClass().getSimpleName();
    }
}
