package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.journal.JournalException;
import io.github.sfnfail.camel.journal.JournalInUseException;
import io.github.sfnfail.camel.journal.JournalSession;
import io.github.sfnfail.camel.journal.LostTask;
import io.github.sfnfail.camel.journal.LostTaskHandler;
import io.github.sfnfail.camel.journal.TaskJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An activity worker's hold on its task journal (journalDirectory or taskJournal), or nothing when it has none: the
 * session opened at the worker's first attach, before its first poll, closed once the worker is idle. A task is added
 * before it is handed to a route and removed once it is settled; a journal that cannot write loses no task (the task
 * runs; the session says what is wrong, for the health check, and counts it).
 */
final class WorkerJournal {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerJournal.class);
    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    private final TaskJournal journal;
    private final String activityArn;
    private final String workerName;
    private volatile JournalSession session;
    /** Whether the open is under way on this object's lock: what the journal hands out waits for the session. */
    private boolean opening;
    /** Why the journal could not be opened at the latest try, or null. */
    private volatile String openFailure;

    /**
     * @param journal the journal, or null for none
     */
    WorkerJournal(TaskJournal journal, String activityArn, String workerName) {
        this.journal = journal;
        this.activityArn = activityArn;
        this.workerName = workerName;
    }

    /** Whether the worker has a journal at all. */
    boolean isOn() {
        return journal != null;
    }

    /** Whether a session is open. */
    boolean isOpen() {
        return session != null;
    }

    /** Whether the journal is on and not tried yet: the worker opens it before it polls. */
    boolean needsOpening() {
        return journal != null && session == null && openFailure == null;
    }

    /**
     * Opens the journal for this worker: the tasks a worker of its identity left behind are handed to {@code lost}
     * before this returns.
     *
     * @throws IllegalStateException naming the journal when it cannot be used (another live worker holds it)
     */
    synchronized void open(LostTaskHandler lost) {
        if (journal == null || session != null) {
            return;
        }
        // what the open hands out is failed once the session is open, so that each answer's removal reaches it
        List<LostTask> handedAtOpen = new ArrayList<>();
        opening = true;
        try {
            session = journal.open(activityArn, workerName, tasks -> handOut(tasks, lost, handedAtOpen));
            openFailure = null;
        } catch (JournalInUseException inUse) {
            throw new IllegalStateException(inUse.getMessage(), inUse);
        } catch (JournalException | RuntimeException e) {
            // no task is lost by this: the worker runs, and says that a worker ending abruptly now loses its tasks
            openFailure = "the journal could not be opened: " + e.getMessage();
            LOG.warn("Task journal of activity {} as {} could not be opened ({}): the worker runs without it, so the "
                     + "tasks it holds if it ends abruptly wait for their timeout; its health check is DOWN until a "
                     + "start opens the journal", activityArn, workerName, e.getMessage(), e);
            return;
        } finally {
            opening = false;
        }
        if (!handedAtOpen.isEmpty()) {
            try {
                lost.lost(List.copyOf(handedAtOpen));
            } catch (RuntimeException e) {
                LOG.warn("The {} task(s) left behind in task journal {} could not be failed now ({}): they stay in the "
                         + "journal for the next start", handedAtOpen.size(), session.location(), e.getMessage(), e);
            }
        }
    }

    /** On the thread that opens (held back until the session is open), or later on a fleet journal's lease thread. */
    private synchronized void handOut(List<LostTask> tasks, LostTaskHandler lost, List<LostTask> handedAtOpen) {
        if (opening) {
            handedAtOpen.addAll(tasks);
        } else if (session == null) {
            // the worker is closing its journal: the journal keeps them, for a live worker to claim
            throw new IllegalStateException("the worker of activity " + activityArn + " as " + workerName
                                            + " is closing its journal");
        } else {
            lost.lost(tasks);
        }
    }

    /** Records a task before it is handed out; completes once durable, or once the journal failed (never exceptionally). */
    CompletableFuture<Void> add(String token) {
        JournalSession open = session;
        if (open == null) {
            return WRITTEN;
        }
        CompletableFuture<Void> written;
        try {
            written = open.add(token);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.handle((done, error) -> {
            if (error != null) {
                // the session said so at WARN, once, and its health problem names the journal
                LOG.debug("Task journal of activity {} as {} did not record a task, which runs all the same: {}",
                        activityArn, workerName, error.getMessage());
            }
            return null;
        });
    }

    /** Forgets a task that is settled: its answer landed, it was found closed, or it can never be answered. */
    void remove(String token) {
        JournalSession open = session;
        if (open != null) {
            open.remove(token);
        }
    }

    /** What is wrong with the journal, naming it, or null while it works (or there is none). */
    String problem() {
        JournalSession open = session;
        return open == null ? openFailure : open.problem();
    }

    long journaled() {
        JournalSession open = session;
        return open == null ? 0 : open.journaled();
    }

    long errors() {
        JournalSession open = session;
        return open == null ? 0 : open.errors();
    }

    /** Where the records are, or null when there is no journal open. */
    String location() {
        JournalSession open = session;
        return open == null ? null : open.location();
    }

    /** The worker is idle: what is queued is written and the lock or lease let go of. */
    void close() {
        JournalSession open;
        synchronized (this) {
            open = session;
            session = null;
        }
        if (open == null) {
            return;
        }
        try {
            open.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the task journal {} failed: {}", open.location(), e.getMessage(), e);
        }
    }
}
