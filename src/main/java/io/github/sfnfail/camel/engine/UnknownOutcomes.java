package io.github.sfnfail.camel.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * Remembers on an exchange which tasks it reported with an unknown outcome (the request may have landed, its answer was
 * lost), so that a later delivery of the same report (Camel redelivery, a loop that tries again) that finds the task
 * closed knows its earlier attempt most likely closed it. The exchange property holds digests of the tokens, never the
 * tokens, so that it is about one task each: a report for another task on the same exchange (a loop, a doTry, a batch)
 * is not taken for it. A task's mark goes when its report lands or finds its task closed.
 */
public final class UnknownOutcomes {

    /** Exchange property: the digests of the tokens whose report on this exchange ended with an unknown outcome. */
    public static final String PROPERTY = "CamelAwsSfnUnknownOutcome";

    private UnknownOutcomes() {
    }

    public static void mark(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        if (marked == null) {
            marked = new HashSet<>();
            exchange.setProperty(PROPERTY, marked);
        }
        marked.add(digest(token));
    }

    public static boolean isMarked(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        return marked != null && marked.contains(digest(token));
    }

    /** The report for this task is done: its mark goes. */
    public static void clear(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        if (marked != null && marked.remove(digest(token)) && marked.isEmpty()) {
            exchange.removeProperty(PROPERTY);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> marked(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Set.class);
    }

    /** SHA-256 of the token, Base64: tells tokens apart without revealing one. */
    public static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
