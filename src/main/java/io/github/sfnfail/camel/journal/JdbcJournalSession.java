package io.github.sfnfail.camel.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's session of the {@link JdbcTaskJournal}: its tasks written in batches (one transaction each), its lease
 * renewed every third of the lease timeout on a thread of its own, and, on that thread, the claim of the lapsed workers
 * of the same activity, whose tasks it takes over (moved to this worker's rows, so that they are not lost if it dies
 * too) and hands to its handler.
 */
final class JdbcJournalSession extends GroupCommit implements JournalSession {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournalSession.class);
    /** How long a close waits for each of the lease thread, the writer and the lease's end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final JdbcJournalTables tables;
    private final String id;
    private final String activityArn;
    private final String workerName;
    private final long leaseMillis;
    private final Duration closeWait;
    /** Hashes of tokens whose removal a failed batch did not write: the writer thread's only. */
    private final Set<String> pendingRemovals = new LinkedHashSet<>();
    private final LostTaskHandler handler;
    private final FaultState leaseFault;
    private final ScheduledExecutorService leaseThread;
    private volatile boolean closed;

    JdbcJournalSession(DataSource dataSource, JdbcJournalTables tables, String id, String activityArn,
                       String workerName, Duration leaseTimeout, Duration closeWait, LostTaskHandler handler) {
        super(LOG, "Task journal in table " + tables.task() + " (worker " + workerName + ") cannot be written",
                "sfn-journal-" + workerName, Duration.ofSeconds(1));
        this.dataSource = dataSource;
        this.tables = tables;
        this.id = id;
        this.closeWait = closeWait;
        this.activityArn = activityArn;
        this.workerName = workerName;
        this.leaseMillis = leaseTimeout.toMillis();
        this.handler = handler;
        this.leaseFault = new FaultState(LOG, "The lease of worker " + workerName + " in table " + tables.lease()
                                              + " cannot be renewed");
        this.leaseThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sfn-journal-lease-" + workerName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Takes the lease, hands out what lapsed workers of the activity left, then renews and claims on its thread. */
    void begin() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(tables.insertLease())) {
            connection.setAutoCommit(true);
            insert.setString(1, id);
            insert.setString(2, activityArn);
            insert.setString(3, workerName);
            insert.setLong(4, System.currentTimeMillis() + leaseMillis);
            insert.executeUpdate();
        }
        try {
            start();
            claimLapsed();
        } catch (SQLException | RuntimeException e) {
            // no session: its writer ends, its lease goes (or lapses by itself if the database cannot be reached)
            closed = true;
            leaseThread.shutdownNow();
            stop(closeWait);
            endLeaseWithin(closeWait, false);
            throw e;
        }
        long every = Math.max(1_000, leaseMillis / 3);
        leaseThread.scheduleWithFixedDelay(this::renewAndClaim, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Task journal {} opened for activity {}", location(), activityArn);
    }

    private void renewAndClaim() {
        if (closed) {
            return;
        }
        try {
            renew();
            leaseFault.succeeded();
        } catch (SQLException | RuntimeException e) {
            countError();
            leaseFault.failed(e.getMessage(), e);
            return;
        }
        try {
            claimLapsed();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Task journal {}: claiming lapsed workers failed: {}", location(), e.getMessage(), e);
        }
    }

    private void renew() throws SQLException {
        long until = System.currentTimeMillis() + leaseMillis;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            int renewed;
            try (PreparedStatement update = connection.prepareStatement(tables.renewLease())) {
                update.setLong(1, until);
                update.setString(2, id);
                renewed = update.executeUpdate();
            }
            if (renewed == 0) {
                // paused past the lease: a live worker claimed it and failed the tasks this one held then
                LOG.warn("Task journal {}: this worker's lease had lapsed (it paused longer than the lease timeout of "
                         + "{} s) and another worker of activity {} failed the tasks it held then; it takes a new lease",
                        location(), leaseMillis / 1000, activityArn);
                try (PreparedStatement insert = connection.prepareStatement(tables.insertLease())) {
                    insert.setString(1, id);
                    insert.setString(2, activityArn);
                    insert.setString(3, workerName);
                    insert.setLong(4, until);
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Claims each lapsed worker of the activity this session wins, one transaction each, then hands its tasks out. */
    private void claimLapsed() throws SQLException {
        Map<String, String> lapsed = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement select = connection.prepareStatement(tables.lapsed())) {
                select.setString(1, activityArn);
                select.setLong(2, System.currentTimeMillis());
                select.setString(3, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        lapsed.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            for (Map.Entry<String, String> worker : lapsed.entrySet()) {
                List<LostTask> tasks = claim(connection, worker.getKey(), worker.getValue());
                if (tasks != null && !tasks.isEmpty()) {
                    handOut(tasks, worker.getValue());
                }
            }
        }
    }

    /** @return the tasks of the lapsed worker, now this session's, or null when another session won it */
    private List<LostTask> claim(Connection connection, String lapsedId, String lapsedName) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement claim = connection.prepareStatement(tables.claim())) {
                claim.setString(1, lapsedId);
                claim.setLong(2, System.currentTimeMillis());
                if (claim.executeUpdate() != 1) {
                    connection.rollback();
                    return null;
                }
            }
            List<LostTask> tasks = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(tables.tasksOf())) {
                select.setString(1, lapsedId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tasks.add(new LostTask(rows.getString(1), lapsedName, Instant.ofEpochMilli(rows.getLong(2))));
                        hashes.add(rows.getString(3));
                    }
                }
            }
            // exactly the rows read: one the lapsed worker commits meanwhile (it was only paused) stays its own
            if (!hashes.isEmpty()) {
                try (PreparedStatement move = connection.prepareStatement(tables.moveTask())) {
                    for (String hash : hashes) {
                        move.setString(1, id);
                        move.setString(2, lapsedId);
                        move.setString(3, hash);
                        move.addBatch();
                    }
                    move.executeBatch();
                }
            }
            connection.commit();
            return tasks;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void handOut(List<LostTask> tasks, String lapsedName) {
        Instant since = tasks.stream().map(LostTask::since).min(Instant::compareTo).orElseThrow();
        LOG.info("Task journal {}: worker {} of activity {} let its lease lapse with {} task(s) in hand, recorded since "
                 + "{}: this worker took them over", location(), lapsedName, activityArn, tasks.size(), since);
        try {
            handler.lost(List.copyOf(tasks));
        } catch (RuntimeException e) {
            LOG.warn("Task journal {}: the handler of the {} lost task(s) failed; they stay in the journal, as this "
                     + "worker's", location(), tasks.size(), e);
        }
    }

    @Override
    protected void write(List<Op> records) throws Exception {
        // the last word on each token: an ADD always comes before its REMOVE
        Map<String, Op> net = new LinkedHashMap<>();
        for (Op op : records) {
            net.put(op.token(), op);
        }
        try {
            transact(net.values());
        } catch (SQLException | RuntimeException e) {
            // a removal is the record of an answer that landed: kept, and written with the next batch or retry
            for (Op op : net.values()) {
                if (op.kind() == Kind.REMOVE) {
                    pendingRemovals.add(Tokens.sha256(op.token()));
                }
            }
            throw e;
        }
        pendingRemovals.clear();
    }

    /** One transaction: the removals left by failed batches, then these records. Writer thread only. */
    private void transact(Collection<Op> records) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement(tables.deleteTask());
                 PreparedStatement insert = connection.prepareStatement(tables.insertTask())) {
                for (String hash : pendingRemovals) {
                    delete.setString(1, hash);
                    delete.addBatch();
                }
                for (Op op : records) {
                    delete.setString(1, Tokens.sha256(op.token()));
                    delete.addBatch();
                    if (op.kind() == Kind.ADD) {
                        insert.setString(1, Tokens.sha256(op.token()));
                        insert.setString(2, id);
                        insert.setString(3, op.token());
                        insert.setLong(4, op.millis());
                        insert.addBatch();
                    }
                }
                delete.executeBatch();
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** After a failed write, once nothing is queued: the kept removals written, and the fault cleared once it works. */
    @Override
    protected void idle() throws Exception {
        if (writeProblem() == null && pendingRemovals.isEmpty()) {
            return;
        }
        transact(List.of());
        pendingRemovals.clear();
        writeFault.succeeded();
    }

    @Override
    protected String describe(Exception error, List<Op> records) {
        return "writing " + records.size() + " record(s) to table " + tables.task() + " failed: " + error.getMessage();
    }

    @Override
    public String problem() {
        String write = writeProblem();
        return write != null ? write : leaseFault.problem() == null ? null
                : "the lease in table " + tables.lease() + " cannot be renewed: " + leaseFault.problem();
    }

    @Override
    public String location() {
        return "tables " + tables.lease() + "/" + tables.task() + " (worker " + workerName + ", " + id + ")";
    }

    /**
     * Writes what is queued, then ends the lease: at once when no task is left, else by letting it lapse now, so that a
     * live worker of the activity claims what is left at its next renewal.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leaseThread.shutdownNow();
        try {
            // a claim under way commits first: what it took over is counted below, and lapses for a live worker
            if (!leaseThread.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Task journal {}: the lease thread did not end within {} s", location(), closeWait.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop(closeWait);
        endLeaseWithin(closeWait, true);
    }

    /**
     * The lease ended (no task left) or lapsed at once (tasks left, for a live worker to claim), on a thread of its own
     * for at most the given time: a database that does not answer leaves it to lapse by itself, and the stop goes on.
     */
    private void endLeaseWithin(Duration wait, boolean report) {
        Thread ender = new Thread(() -> endLease(report), "sfn-journal-close-" + workerName);
        ender.setDaemon(true);
        ender.start();
        try {
            ender.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ender.isAlive()) {
            LOG.warn("Task journal {}: the database did not answer within {} s while the lease was ended: it lapses by "
                     + "itself within {} s", location(), wait.toSeconds(), leaseMillis / 1000);
        }
    }

    private void endLease(boolean report) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            long left;
            try (PreparedStatement count = connection.prepareStatement(tables.countTasksOf())) {
                count.setString(1, id);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    left = rows.getLong(1);
                }
            }
            if (left == 0) {
                try (PreparedStatement end = connection.prepareStatement(tables.endLease())) {
                    end.setString(1, id);
                    end.executeUpdate();
                }
            } else {
                try (PreparedStatement lapse = connection.prepareStatement(tables.renewLease())) {
                    lapse.setLong(1, 0);
                    lapse.setString(2, id);
                    lapse.executeUpdate();
                }
                if (report) {
                    LOG.info("Task journal {} closed with {} task(s) left in it: a live worker of activity {} fails "
                             + "them", location(), left, activityArn);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Task journal {}: ending the lease failed ({}): it lapses by itself within {} s", location(),
                    e.getMessage(), leaseMillis / 1000);
        }
    }

    /** For tests: ends as a killed process does, renewing nothing and writing nothing more. */
    void kill() {
        closed = true;
        leaseThread.shutdownNow();
        abandon();
    }

    /** For tests: stops renewing for a while, as a paused process does. */
    void pauseRenewalsFor(Duration pause) {
        leaseThread.execute(() -> {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
