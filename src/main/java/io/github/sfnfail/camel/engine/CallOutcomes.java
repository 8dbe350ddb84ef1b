package io.github.sfnfail.camel.engine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sfn.model.KmsAccessDeniedException;
import software.amazon.awssdk.services.sfn.model.KmsInvalidStateException;
import software.amazon.awssdk.services.sfn.model.KmsThrottlingException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * What the error of a call that answers a task says about the answer: rules on the SDK's exception types and error codes,
 * never on messages (emulators and regions word them differently).
 */
public final class CallOutcomes {

    private CallOutcomes() {
    }

    /** The exception the call failed with, unwrapped from the future that carried it. */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * The failure in words for a log line: its message, else its class name (an exception without a message, such as
     * an interruption, is never logged as "null").
     */
    public static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause == null) {
            return "no reason given";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }

    /** The task is closed: it timed out, or it was already completed or failed. */
    public static boolean isClosedTask(Throwable error) {
        return unwrap(error) instanceof TaskTimedOutException;
    }

    /**
     * Whether the call failed after its request may have reached Step Functions without the answer coming back: a
     * reset or closed connection, an attempt past its time limit, a 5xx. Such a report may have landed. (Earlier
     * attempts are watched by {@link AttemptOutcomes}: the SDK keeps only their messages.)
     */
    public static boolean hadUnknownOutcome(Throwable error) {
        return isUnknownOutcome(unwrap(error));
    }

    /**
     * Step Functions throttled the call (its API quota, by the SDK's own list of throttling codes; KMS throttling is not
     * among them and stays a transient error the SDK retries).
     */
    public static boolean isThrottling(Throwable error) {
        return unwrap(error) instanceof SdkServiceException service && service.isThrottlingException();
    }

    /**
     * Whether the call failed for a reason that passes, so that the same answer may land later: throttling (KMS's
     * too), a 5xx, or Step Functions not reached at all (no connection from the pool, the network, a time limit,
     * credentials not found yet). Any other answer of the service (a 4xx) is for good.
     */
    public static boolean isPassing(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500
                   || cause instanceof KmsThrottlingException;
        }
        return cause instanceof SdkClientException;
    }

    /** KMS refused to encrypt the error and cause with the state machine's key (not KMS throttling, which passes). */
    public static boolean isKmsRefusal(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof KmsAccessDeniedException || cause instanceof KmsInvalidStateException;
    }

    /** The error code Step Functions answered with, or null when it did not answer. */
    public static String errorCode(Throwable error) {
        return unwrap(error) instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() : null;
    }

    private static boolean isUnknownOutcome(Throwable attempt) {
        if (attempt instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (attempt instanceof AwsServiceException service) {
            return service.statusCode() >= 500;
        }
        if (attempt instanceof SdkClientException) {
            // a request that could not connect was never sent: that outcome is known
            for (Throwable cause = attempt.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                    return false;
                }
                // the SDK wraps the last attempt's timeout when its retry strategy refuses another attempt
                if (cause instanceof IOException || cause instanceof ApiCallAttemptTimeoutException) {
                    return true;
                }
            }
        }
        return false;
    }
}
