package io.github.sfnfail.camel.activity;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

import io.github.sfnfail.camel.engine.CallOutcomes;
import io.github.sfnfail.camel.engine.SfnErrors;
import io.github.sfnfail.camel.engine.TaskCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * What operators see of a consumer's polls: a WARN line when they start failing with an error not seen since they last
 * all worked, an INFO line when every poller works again, never one per poll; and the state for the health check, DOWN
 * while every poller wanted failed its latest poll and none worked since, with that error, UP as soon as one works.
 * A failure that passes (a 5xx, the network) neither says anything nor counts for the health check until a poller has
 * had {@value #QUIET_FAILURES} of them in a row: a poll has one attempt ({@link SingleAttemptPolls}), and a blip that
 * the SDK's retries hid before is worth neither a line nor a DOWN.
 */
final class PollHealth {

    private static final Logger LOG = LoggerFactory.getLogger(PollHealth.class);
    /** Failures that pass a poller may have in a row before they are told: the SDK's default retries. */
    static final int QUIET_FAILURES = 3;

    private final String activityArn;
    private final String where;
    private final IntSupplier pollers;
    private final Set<Object> failing = new HashSet<>();
    private final Set<String> warned = new HashSet<>();
    private static final Runnable NOTHING = () -> {
    };

    private long failures;
    private boolean latestFailed;
    private String errorCode;
    private Throwable error;

    /**
     * @param where where the polls go, for the hints of errors that depend on it ("in region eu-west-1")
     */
    PollHealth(String activityArn, String where, IntSupplier pollers) {
        this.activityArn = activityArn;
        this.where = where;
        this.pollers = pollers;
    }

    /**
     * A poller's poll failed.
     *
     * @param inARow how many polls of this poller failed in a row, this one included
     * @return what to log, for the caller to run once it holds no lock (never null)
     */
    synchronized Runnable failed(Object poller, Throwable pollError, int inARow) {
        String code = code(pollError);
        if (isQuiet(pollError, inARow)) {
            // neither told nor counted against the health: a blip the SDK's retries used to hide
            return () -> LOG.debug("Poll for tasks of activity {} failed with {}, {} in a row: polling again", activityArn,
                    code, inARow);
        }
        // where Step Functions was not reached, with the hint the answers give (no credentials: the component's own
        // options first); the service's own errors as they are (its throttling hint is about paced answers)
        Throwable failure = CallOutcomes.unwrap(pollError) instanceof SdkClientException
                ? SfnErrors.explain(pollError, null, TaskCall.GET_ACTIVITY_TASK, where) : CallOutcomes.unwrap(pollError);
        failing.add(poller);
        latestFailed = true;
        failures++;
        errorCode = code;
        error = failure;
        if (warned.add(code)) {
            return () -> LOG.warn("Polls for tasks of activity {} fail with {}: each failing poller backs off up to {} "
                                  + "s until its polls work again ({})", activityArn, code,
                    PollBackoff.MAX_MILLIS / 1000, failure.getMessage());
        }
        return () -> LOG.debug("Poll for tasks of activity {} failed again with {}", activityArn, code);
    }

    /**
     * A poller's poll came back.
     *
     * @return what to log, for the caller to run once it holds no lock (never null)
     */
    synchronized Runnable succeeded(Object poller) {
        failing.remove(poller);
        latestFailed = false;
        return recoveredWhenNoneFails();
    }

    /**
     * A poller the worker let go of (fewer polls wanted): its latest failure counts no more.
     *
     * @return what to log, for the caller to run once it holds no lock (never null)
     */
    synchronized Runnable letGo(Object poller) {
        failing.remove(poller);
        return latestFailed ? NOTHING : recoveredWhenNoneFails();
    }

    private Runnable recoveredWhenNoneFails() {
        if (!failing.isEmpty() || warned.isEmpty()) {
            return NOTHING;
        }
        long failed = failures;
        String codes = String.join(", ", warned);
        failures = 0;
        warned.clear();
        errorCode = null;
        error = null;
        return () -> LOG.info("Polls for tasks of activity {} work again after {} failures ({})", activityArn, failed,
                codes);
    }

    /**
     * Whether a failed poll is one of the first {@value #QUIET_FAILURES} in a row of its poller that pass: it says
     * nothing, and the worker polls again after the poller's backoff without taking it as a sign to poll less.
     */
    static boolean isQuiet(Throwable pollError, int inARow) {
        return inARow <= QUIET_FAILURES && isBlip(pollError);
    }

    /**
     * A 5xx or the network (a reset, a refused or closed connection): what the SDK's retries hid. Not throttling, which
     * the SDK's retries leave to the component and which halves the polls at once (a fleet's throttling storm needs
     * fewer polls, not the same ones again), nor a client-side failure of another kind (no credentials, no region).
     */
    private static boolean isBlip(Throwable pollError) {
        Throwable cause = CallOutcomes.unwrap(pollError);
        if (cause instanceof SdkServiceException service) {
            return !service.isThrottlingException() && service.statusCode() >= 500;
        }
        for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
            if (inner instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** The error code the polls fail with while every poller fails, else null. */
    synchronized String errorCode() {
        return allFailing() ? errorCode : null;
    }

    /** The error the latest failed poll had while every poller fails, else null. */
    synchronized Throwable error() {
        return allFailing() ? error : null;
    }

    /** Every poller wanted failed its latest poll, and no poll worked since. */
    private boolean allFailing() {
        return latestFailed && failing.size() >= pollers.getAsInt();
    }

    /**
     * Whether a poll ended because the HTTP client stopped reading (its read timeout) rather than because Step Functions
     * answered: the Netty client's ReadTimeoutException, the Apache client's SocketTimeoutException.
     */
    static boolean isReadTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getName();
            if (name.endsWith("ReadTimeoutException") || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The AWS error code, or the client exception's class when Step Functions did not answer. */
    static String code(Throwable failure) {
        Throwable cause = CallOutcomes.unwrap(failure);
        String code = CallOutcomes.errorCode(cause);
        return code != null ? code : cause.getClass().getSimpleName();
    }
}
