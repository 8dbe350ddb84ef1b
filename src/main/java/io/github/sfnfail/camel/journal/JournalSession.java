package io.github.sfnfail.camel.journal;

import java.util.concurrent.CompletableFuture;

/**
 * One worker identity's open journal: the tasks it holds, recorded durably in batches (group commit: many callers, one
 * flush per batch). Thread-safe; no method blocks the caller on the disk or the database.
 */
public interface JournalSession extends AutoCloseable {

    /**
     * Records a task about to start.
     *
     * @param token the task token
     * @return completes once the record is durable (fsync, or a committed transaction), or exceptionally with a
     *         {@link JournalException} when the journal could not write it; this method never throws
     */
    CompletableFuture<Void> add(String token);

    /**
     * Forgets a task: its answer landed, it was found closed, or it was a lost task that has been failed. Durable within
     * one batch; never blocks the caller. Removing a token the journal does not hold does nothing.
     *
     * @param token the task token
     */
    void remove(String token);

    /**
     * @return completes once everything handed to {@link #add} and {@link #remove} before this call is durable, or
     *         exceptionally when the batch it was part of could not be written
     */
    CompletableFuture<Void> flushed();

    /**
     * @return null while the journal works, else a short reason naming the journal's file or table (for a health
     *         check); it clears itself once the journal writes again
     */
    String problem();

    /** @return how many tasks were recorded durably by this session */
    long journaled();

    /** @return how many times this session failed to write to its journal (a batch, a lease renewal, a compaction) */
    long errors();

    /** @return where this session's records are, for log lines and health checks (a file, or a table and lease) */
    String location();

    /**
     * Writes what is queued, then releases the lock or lease. Tasks still in the journal stay there and are handed out
     * as lost at the next open of this identity (the JDBC journal hands them to a live worker of the activity at once).
     * A clean close of a JDBC session that holds no task ends its lease, so that nobody claims it.
     */
    @Override
    void close();
}
