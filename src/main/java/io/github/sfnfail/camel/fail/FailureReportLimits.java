package io.github.sfnfail.camel.fail;

import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException.Part;
import io.github.sfnfail.camel.engine.TaskTokens;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits Step Functions puts on the fields of SendTaskFailure, checked before any call so that a report it would
 * refuse fails at once, naming what is wrong, instead of after a round trip (or worse, being lost).
 */
final class FailureReportLimits {

    static final int MAX_ERROR_LENGTH = 256;
    static final int MAX_CAUSE_LENGTH = 32768;
    static final String RESERVED_ERROR_PREFIX = "States.";

    private static final Logger LOG = LoggerFactory.getLogger(FailureReportLimits.class);

    private final boolean truncateCause;
    private final Runnable onCauseCut;

    /**
     * @param onCauseCut told each time a cause is cut to fit
     */
    FailureReportLimits(boolean truncateCause, Runnable onCauseCut) {
        this.truncateCause = truncateCause;
        this.onCauseCut = onCauseCut;
    }

    void checkError(String error, String source) {
        if (error == null) {
            return;
        }
        if (error.length() > MAX_ERROR_LENGTH) {
            throw new InvalidTaskAnswerException(Part.ERROR,
                    "The error from " + source + " is " + error.length() + " characters long; Step Functions accepts at most "
                                                    + MAX_ERROR_LENGTH);
        }
        if (error.startsWith(RESERVED_ERROR_PREFIX)) {
            throw new InvalidTaskAnswerException(Part.ERROR,
                    "The error from " + source + " starts with '" + RESERVED_ERROR_PREFIX
                                                    + "', a prefix Step Functions reserves for its own errors: choose another name");
        }
    }

    /**
     * @return the cause to send: the given one, or one cut to the limit with a marker at its end
     */
    String fitCause(String cause, String source, String token) {
        if (cause == null || cause.length() <= MAX_CAUSE_LENGTH) {
            return cause;
        }
        if (!truncateCause) {
            throw new InvalidTaskAnswerException(Part.CAUSE,
                    "The cause from " + source + " is " + cause.length() + " characters long; Step Functions accepts at most "
                                                    + MAX_CAUSE_LENGTH + " (set truncateCause=true to cut it to fit)");
        }
        String truncated = truncate(cause, MAX_CAUSE_LENGTH);
        onCauseCut.run();
        LOG.warn("The cause from {} for task {} is {} characters long; cut to the {} Step Functions accepts",
                source, TaskTokens.mask(token), cause.length(), MAX_CAUSE_LENGTH);
        return truncated;
    }

    /**
     * The text cut to at most {@code limit} characters, ending with a marker that says how many were cut.
     */
    static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        if (marker(text.length()).length() > limit) {
            return text.substring(0, limit); // no room for a marker
        }
        // the marker's length depends on the number it shows, which depends on the marker's length
        int keep = limit - marker(text.length()).length();
        while (keep < limit && keep + 1 + marker(text.length() - keep - 1).length() <= limit) {
            keep++;
        }
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return text.substring(0, keep) + marker(text.length() - keep);
    }

    private static String marker(int cutChars) {
        return "…[truncated " + cutChars + " chars]";
    }
}
