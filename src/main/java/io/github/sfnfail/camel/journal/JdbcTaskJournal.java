package io.github.sfnfail.camel.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task journal in a database shared by a fleet of workers: each worker's tasks are rows, and each worker holds a
 * lease it renews. When a worker's lease has lapsed for longer than {@link #setLeaseTimeout the lease timeout}, one live
 * worker of the same activity claims it (a conditional update, so exactly one) and is handed its tasks to fail. A worker
 * that was only slow (a GC pause shorter than the lease) loses nothing. Bind it as a bean and name it on the consumer:
 * {@code taskJournal=#journal}.
 *
 * <p>Two tables, created if missing ({@code CREATE TABLE IF NOT EXISTS}): {@code <prefix>_lease} (one row per open
 * worker: its id, activity, worker name and lease end, in epoch milliseconds of the workers' clocks, which should agree
 * to well under the lease timeout) and {@code <prefix>_task} (one row per task in hand: the worker's id, a SHA-256 of the
 * token, the token, since when). The rows hold task tokens, which are credentials: grant the tables to the workers only.
 * Written in standard SQL and tested on PostgreSQL; MySQL/MariaDB, H2 and SQL Server 2016+ accept the same statements
 * (SQL Server spells {@code IF NOT EXISTS} differently: create the tables yourself there, with the columns below).
 */
public class JdbcTaskJournal implements TaskJournal {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTaskJournal.class);

    private final DataSource dataSource;
    private String tablePrefix = "sfn_journal";
    private Duration leaseTimeout = Duration.ofSeconds(30);
    private Duration closeWait = JdbcJournalSession.CLOSE_WAIT;
    private volatile boolean tablesReady;

    /**
     * @param dataSource where the tables are (a pool is best: each worker holds no connection between its writes)
     */
    public JdbcTaskJournal(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** @return the prefix of the two tables' names */
    public String getTablePrefix() {
        return tablePrefix;
    }

    /**
     * The prefix of the two tables' names: {@code <prefix>_lease} and {@code <prefix>_task} ({@code sfn_journal} by
     * default); letters, digits and underscores only.
     */
    public void setTablePrefix(String tablePrefix) {
        if (tablePrefix == null || !tablePrefix.matches("[A-Za-z_][A-Za-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("tablePrefix must be 1 to 41 letters, digits or underscores, not '"
                                               + tablePrefix + "'");
        }
        this.tablePrefix = tablePrefix;
    }

    /** For tests: how long a close waits on each of its steps (30 s). */
    void setCloseWait(Duration closeWait) {
        this.closeWait = closeWait;
    }

    /** @return how long a worker's lease lasts without a renewal */
    public Duration getLeaseTimeout() {
        return leaseTimeout;
    }

    /**
     * How long a worker's lease lasts without a renewal (30 s by default, at least 3 s): a worker renews it every third
     * of it, and a live worker of the same activity fails the tasks of one whose lease lapsed. Longer than the longest
     * pause a live worker may take (a GC pause, a host under load), shorter than the tasks' HeartbeatSeconds, or they
     * time out first.
     */
    public void setLeaseTimeout(Duration leaseTimeout) {
        if (leaseTimeout == null || leaseTimeout.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("leaseTimeout must be at least 3s, not " + leaseTimeout);
        }
        this.leaseTimeout = leaseTimeout;
    }

    @Override
    public JournalSession open(String activityArn, String workerName, LostTaskHandler handler) throws JournalException {
        Objects.requireNonNull(activityArn, "activityArn");
        Objects.requireNonNull(workerName, "workerName");
        Objects.requireNonNull(handler, "handler");
        JdbcJournalTables tables = new JdbcJournalTables(tablePrefix);
        try {
            createTablesOnce(tables);
            String id = UUID.randomUUID().toString();
            JdbcJournalSession session = new JdbcJournalSession(dataSource, tables, id, activityArn, workerName,
                    leaseTimeout, closeWait, handler);
            session.begin();
            return session;
        } catch (SQLException e) {
            throw new JournalException("Cannot open the task journal in tables " + tables.lease() + " and "
                                       + tables.task() + " for worker '" + workerName + "' of activity " + activityArn
                                       + ": " + e.getMessage(), e);
        }
    }

    private void createTablesOnce(JdbcJournalTables tables) throws SQLException {
        if (tablesReady) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(tables.createLease());
            statement.execute(tables.createTask());
        }
        tablesReady = true;
        LOG.debug("Task journal tables {} and {} are ready", tables.lease(), tables.task());
    }

    @Override
    public String toString() {
        return "JdbcTaskJournal[" + tablePrefix + "_lease, " + tablePrefix + "_task, lease " + leaseTimeout + "]";
    }
}
