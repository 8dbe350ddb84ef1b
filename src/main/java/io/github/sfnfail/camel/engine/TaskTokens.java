package io.github.sfnfail.camel.engine;

/**
 * Shows a task token without revealing it. A task token lets anyone complete or fail the task, so it is treated like a
 * password: only a short prefix and the length ever reach a log line or an exception message.
 */
public final class TaskTokens {

    private static final int SHOWN_PREFIX = 6;

    private TaskTokens() {
    }

    /**
     * A form of the token safe to log, for example {@code AAAAKg…(len 812)}.
     */
    public static String mask(String token) {
        if (token == null) {
            return "<none>";
        }
        // a token so short that the prefix would be most of it is not shown at all
        String prefix = token.length() > SHOWN_PREFIX * 2 ? token.substring(0, SHOWN_PREFIX) : "";
        return prefix + "…(len " + token.length() + ")";
    }

    /**
     * The text with every occurrence of the token masked; for messages that come from elsewhere (an AWS error message
     * may quote the token it refused).
     */
    public static String redact(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        return text.replace(token, mask(token));
    }
}
