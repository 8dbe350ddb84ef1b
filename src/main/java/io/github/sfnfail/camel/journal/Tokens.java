package io.github.sfnfail.camel.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HexFormat;

/** Task tokens are bearer credentials: how this package shows, digests and redacts them. */
final class Tokens {

    private static final int SHOWN_PREFIX = 4;

    private Tokens() {
    }

    /** A form safe to log: {@code AQCE…(512 chars)}; a token too short to show a prefix of is shown as its length. */
    static String mask(String token) {
        if (token == null) {
            return "<none>";
        }
        String prefix = token.length() > SHOWN_PREFIX * 4 ? token.substring(0, SHOWN_PREFIX) : "";
        return prefix + "…(" + token.length() + " chars)";
    }

    /** The text with every one of the tokens in it masked (driver messages may quote a statement's parameters). */
    static String redact(String text, Collection<String> tokens) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String token : tokens) {
            if (token != null && !token.isEmpty() && result.contains(token)) {
                result = result.replace(token, mask(token));
            }
        }
        return result;
    }

    /** The SHA-256 of the text's UTF-8 bytes, in lower-case hex (64 characters). */
    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * A copy of the error's chain whose messages have the tokens masked, with the original classes named and the
     * original stack traces kept: safe to attach to an exception that a log line may print.
     */
    static Throwable redacted(Throwable error, Collection<String> tokens) {
        if (error == null) {
            return null;
        }
        Throwable cause = error.getCause() == error ? null : redacted(error.getCause(), tokens);
        String message = error.getMessage() == null ? "" : ": " + redact(error.getMessage(), tokens);
        Redacted copy = new Redacted(error.getClass().getName() + message, cause);
        copy.setStackTrace(error.getStackTrace());
        // a JDBC driver chains the server's own error of a failed batch apart from the cause
        if (error instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != cause) {
            copy.addSuppressed(redacted(sql.getNextException(), tokens));
        }
        return copy;
    }

    /** An error as it was, its message free of tokens. */
    static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
