package io.github.sfnfail.camel.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * Marks that an exchange carries about tasks, in an exchange property that holds digests of the tokens, never the
 * tokens, so that each mark is about one task: another task answered on the same exchange (a loop, a doTry, a batch)
 * is not taken for it.
 */
public final class TaskMarks {

    /**
     * The tasks whose answer on this exchange ended with an unknown outcome (the request may have landed, its reply was
     * lost): a later delivery of the same answer (Camel redelivery, a loop that tries again) that finds the task closed
     * knows its earlier attempt most likely closed it. A task's mark goes when its answer lands or finds it closed.
     */
    public static final TaskMarks UNKNOWN_OUTCOME = new TaskMarks("CamelAwsSfnUnknownOutcome");

    /**
     * The tasks this exchange answered (a success or failure report that landed, or found the task closed): the
     * activity consumer does not answer them again. Kept only on the exchanges the consumer watches
     * ({@link #watch}), so that other exchanges pay nothing for it.
     */
    public static final TaskMarks ANSWERED = new TaskMarks("CamelAwsSfnAnswered");

    /**
     * The tasks a heartbeat found closed (the execution stopped or timed out, another worker answered): nobody waits
     * for their answer. A route that keeps a second task alive beside its own does not make the activity consumer skip
     * the answer to its own task when the other one closes.
     */
    public static final TaskMarks CLOSED = new TaskMarks("CamelAwsSfnClosedTasks");

    private final String property;

    private TaskMarks(String property) {
        this.property = property;
    }

    /** The exchange property the marks are kept in. */
    public String property() {
        return property;
    }

    public void mark(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        if (marked == null) {
            marked = new HashSet<>();
            exchange.setProperty(property, marked);
        }
        marked.add(digest(token));
    }

    /** From now on {@link #markIfWatched} marks this exchange's tasks. */
    public void watch(Exchange exchange) {
        exchange.setProperty(property, new HashSet<String>());
    }

    /** Marks the task when the exchange is watched; nothing otherwise, not even the token's digest. */
    public void markIfWatched(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        if (marked != null) {
            marked.add(digest(token));
        }
    }

    public boolean isMarked(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        // most exchanges carry no mark: no digest for them
        return marked != null && !marked.isEmpty() && marked.contains(digest(token));
    }

    /** The task's mark goes. */
    public void clear(Exchange exchange, String token) {
        Set<String> marked = marked(exchange);
        if (marked != null && marked.remove(digest(token)) && marked.isEmpty()) {
            exchange.removeProperty(property);
        }
    }

    @SuppressWarnings("unchecked")
    private Set<String> marked(Exchange exchange) {
        return exchange.getProperty(property, Set.class);
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
