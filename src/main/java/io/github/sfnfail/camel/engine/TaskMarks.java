package io.github.sfnfail.camel.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * A mark an exchange carries about the tasks it answers, in an exchange property that holds digests of the tokens,
 * never the tokens, so that each mark is about one task: another task answered on the same exchange (a loop, a doTry,
 * a batch) is not taken for it. What a worker knows of its tasks is never kept here but in the {@link TaskWatch}.
 */
public final class TaskMarks {

    /**
     * The tasks whose answer on this exchange ended with an unknown outcome (the request may have landed, its reply was
     * lost): a later delivery of the same answer (Camel redelivery, a loop that tries again) that finds the task closed
     * knows its earlier attempt most likely closed it. A task's mark goes when its answer lands or finds it closed.
     */
    public static final TaskMarks UNKNOWN_OUTCOME = new TaskMarks("CamelAwsSfnUnknownOutcome");

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
