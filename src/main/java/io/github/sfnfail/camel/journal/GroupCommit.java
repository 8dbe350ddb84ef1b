package io.github.sfnfail.camel.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;

/**
 * Group commit: callers queue records without waiting; one writer thread takes everything queued while its previous
 * write ran, makes it durable at once (one fsync or one transaction per batch), then completes the batch's futures.
 * Subclasses say how a batch is written.
 */
abstract class GroupCommit {

    /** The most records one batch takes; what is left waits for the next. */
    static final int MAX_BATCH = 4096;

    /**
     * The least time from one batch's write to the next: a writer that wrote a moment ago lets records gather first, so
     * that a stream of tasks costs at most a hundred fsyncs (or transactions) a second, not one per task or two. Nothing
     * waits on it but durability: the exchange does not, and a kill loses at most this much more of what was queued.
     */
    static final long MIN_BATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    enum Kind { ADD, REMOVE, FLUSH, STOP }

    /** A queued record (ADD, REMOVE) or marker (FLUSH, STOP). */
    record Op(Kind kind, String token, long millis, CompletableFuture<Void> future) {
    }

    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicLong journaled = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final Thread writer;
    private final Duration idleRetry;
    protected final Logger log;
    protected final FaultState writeFault;
    private boolean closed;

    /**
     * @param threadName the writer thread's name
     * @param idleRetry how long the writer waits for records before it calls {@link #idle()}
     */
    GroupCommit(Logger log, String what, String threadName, Duration idleRetry) {
        this.log = log;
        this.writeFault = new FaultState(log, what);
        this.idleRetry = idleRetry;
        this.writer = new Thread(this::run, threadName);
        this.writer.setDaemon(true);
    }

    /** Writes the records (ADD and REMOVE, in the order queued) durably, or throws. */
    protected abstract void write(List<Op> records) throws Exception;

    /** Called after each batch that was written (for example to compact). Throws to report a fault. */
    protected void afterBatch() throws Exception {
    }

    /** Called when no record came for a while: a chance to retry a failed write. Throws to report a fault. */
    protected void idle() throws Exception {
    }

    /** The reason for a failure, naming the journal, its text free of the tokens of the records. */
    protected abstract String describe(Exception error, List<Op> records);

    final void start() {
        writer.start();
    }

    public final CompletableFuture<Void> add(String token) {
        if (token == null || token.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a task token is needed"));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (!offer(new Op(Kind.ADD, token, System.currentTimeMillis(), future))) {
            future.completeExceptionally(new JournalException(closedMessage()));
        }
        return future;
    }

    public final void remove(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        if (!offer(new Op(Kind.REMOVE, token, 0, null))) {
            log.debug("{} is closed: the removal of {} is not recorded", location(), Tokens.mask(token));
        }
    }

    public final CompletableFuture<Void> flushed() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (!offer(new Op(Kind.FLUSH, null, 0, future))) {
            future.completeExceptionally(new JournalException(closedMessage()));
        }
        return future;
    }

    public abstract String location();

    private String closedMessage() {
        return location() + " is closed";
    }

    private boolean offer(Op op) {
        gate.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            queue.add(op);
            return true;
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Stops taking records, writes what was queued before, and waits for the writer (at most the given time). */
    final void stop(Duration wait) {
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Op(Kind.STOP, null, 0, null));
        } finally {
            gate.writeLock().unlock();
        }
        if (Thread.currentThread() == writer) {
            return;
        }
        try {
            writer.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("{}: the journal writer did not finish within {} s; what it still held may not be durable",
                    location(), wait.toSeconds());
            writer.interrupt();
        }
    }

    /** For tests: the writer ends at once, as in a process that was killed; what is queued is dropped. */
    final void abandon() {
        gate.writeLock().lock();
        try {
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    final String writeProblem() {
        return writeFault.problem();
    }

    public final long journaled() {
        return journaled.get();
    }

    public final long errors() {
        return errors.get();
    }

    /** Counts a failure that is not a batch's (a lease renewal, say). */
    final void countError() {
        errors.incrementAndGet();
    }

    /** How many batches were written: for tests and figures. */
    final long batches() {
        return batches.get();
    }

    private void run() {
        List<Op> batch = new ArrayList<>();
        List<Op> records = new ArrayList<>();
        boolean stop = false;
        long lastWrite = System.nanoTime() - MIN_BATCH_INTERVAL_NANOS;
        try {
            while (!stop) {
                Op first = queue.poll(idleRetry.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    runIdle();
                    continue;
                }
                long gather = lastWrite + MIN_BATCH_INTERVAL_NANOS - System.nanoTime();
                if (gather > 0 && first.kind() != Kind.STOP) {
                    TimeUnit.NANOSECONDS.sleep(gather);
                }
                batch.clear();
                records.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                for (Op op : batch) {
                    if (op.kind() == Kind.ADD || op.kind() == Kind.REMOVE) {
                        records.add(op);
                    } else if (op.kind() == Kind.STOP) {
                        stop = true;
                    }
                }
                writeBatch(batch, records);
                lastWrite = System.nanoTime();
            }
        } catch (InterruptedException e) {
            // abandoned
        } finally {
            for (Op op; (op = queue.poll()) != null; ) {
                if (op.future() != null) {
                    op.future().completeExceptionally(new JournalException(closedMessage()));
                }
            }
        }
    }

    private void writeBatch(List<Op> batch, List<Op> records) {
        Exception failure = null;
        if (!records.isEmpty()) {
            try {
                write(records);
                batches.incrementAndGet();
            } catch (Exception e) {
                failure = e;
            } catch (LinkageError | AssertionError e) {
                failure = new IllegalStateException(e);
            }
        }
        if (failure == null) {
            long adds = 0;
            for (Op op : records) {
                adds += op.kind() == Kind.ADD ? 1 : 0;
            }
            journaled.addAndGet(adds);
            if (!records.isEmpty()) {
                writeFault.succeeded();
            }
            for (Op op : batch) {
                if (op.future() != null) {
                    op.future().complete(null);
                }
            }
            try {
                afterBatch();
            } catch (Exception e) {
                failed(e, records, true);
            }
        } else {
            JournalException error = failed(failure, records, true);
            for (Op op : batch) {
                if (op.future() != null) {
                    op.future().completeExceptionally(error);
                }
            }
        }
    }

    private void runIdle() {
        try {
            idle();
        } catch (Exception e) {
            // a retry of a write that already failed: neither counted again nor logged again
            log.debug("{}: retry failed: {}", location(), describe(e, List.of()));
        }
    }

    private JournalException failed(Exception failure, List<Op> records, boolean count) {
        if (count) {
            errors.incrementAndGet();
        }
        List<String> tokens = new ArrayList<>(records.size());
        for (Op op : records) {
            tokens.add(op.token());
        }
        // a driver's message can quote what was bound (pgjdbc's BatchUpdateException quotes every parameter)
        String reason = Tokens.redact(describe(failure, records), tokens);
        Throwable redacted = Tokens.redacted(failure, tokens);
        writeFault.failed(reason, redacted);
        return new JournalException(reason, redacted);
    }

    /** For subclasses: report a fault found outside a batch (it counts as an error). */
    protected final void reportFault(Exception failure) {
        failed(failure, List.of(), true);
    }
}
