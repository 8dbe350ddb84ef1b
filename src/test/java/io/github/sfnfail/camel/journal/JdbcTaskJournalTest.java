package io.github.sfnfail.camel.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The JDBC task journal on a real PostgreSQL started by the test (embedded binaries from Maven Central, on loopback):
 * a killed worker's tasks are failed once its lease lapsed, by exactly one of three live workers; a worker paused for
 * less than its lease keeps its tasks; a clean close ends the lease, or lets it lapse at once when tasks are left.
 */
class JdbcTaskJournalTest {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:fleet";
    private static final String ONE = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Fleet+Task+One/Of+A+Killed+Worker";
    private static final String TWO = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Fleet+Task+Two/Of+A+Killed+Worker";
    private static final String ANSWERED = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Fleet+Task+Answered/Before+Kill";

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final List<JournalSession> open = new CopyOnWriteArrayList<>();
    /** Who was handed which token, as it happened. */
    private final Map<String, List<String>> handed = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeSessions() throws Exception {
        open.forEach(JournalSession::close);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS sfn_journal_lease");
            statement.execute("DROP TABLE IF EXISTS sfn_journal_task");
        }
    }

    private JdbcTaskJournal journal(Duration lease) {
        JdbcTaskJournal journal = new JdbcTaskJournal(dataSource);
        journal.setLeaseTimeout(lease);
        return journal;
    }

    private JdbcJournalSession openAs(JdbcTaskJournal journal, String worker) throws JournalException {
        JdbcJournalSession session = (JdbcJournalSession) journal.open(ARN, worker, lost -> lost.forEach(
                task -> handed.computeIfAbsent(task.token(), token -> new CopyOnWriteArrayList<>()).add(worker)));
        open.add(session);
        return session;
    }

    @Test
    void aKilledWorkersTasksAreFailedOnceItsLeaseLapsedByExactlyOneOfThreeLiveWorkers() throws Exception {
        JdbcTaskJournal journal = journal(Duration.ofSeconds(3));
        JdbcJournalSession killed = openAs(journal, "a");
        killed.add(ONE).get(10, TimeUnit.SECONDS);
        killed.add(TWO).get(10, TimeUnit.SECONDS);
        killed.add(ANSWERED).get(10, TimeUnit.SECONDS);
        killed.remove(ANSWERED);
        killed.flushed().get(10, TimeUnit.SECONDS);
        killed.kill();
        open.remove(killed);

        long start = System.nanoTime();
        openAs(journal, "b");
        openAs(journal, "c");
        openAs(journal, "d");

        await().atMost(Duration.ofSeconds(30)).until(() -> handed.keySet().containsAll(List.of(ONE, TWO)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // every live worker renews and claims several times meanwhile: nothing is handed out twice
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 2);
        assertThat(handed).containsOnlyKeys(ONE, TWO);
        assertThat(handed.get(ONE)).hasSize(1);
        assertThat(handed.get(TWO)).hasSize(1).isEqualTo(handed.get(ONE));
        assertThat(took).as("within a lease and a renewal or two").isLessThan(Duration.ofSeconds(20));
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_lease")).as("the killed worker's lease is gone").isEqualTo(3);
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_task")).as("its tasks are the claimer's until failed")
                .isEqualTo(2);
    }

    @Test
    void aWorkerPausedForLessThanItsLeaseKeepsItsTasks() throws Exception {
        JdbcTaskJournal journal = journal(Duration.ofSeconds(9));
        JdbcJournalSession paused = openAs(journal, "paused");
        paused.add(ONE).get(10, TimeUnit.SECONDS);
        openAs(journal, "watcher");

        // its renewals come every 3 s; a pause of 4 s leaves it at most 7 s without one, under the 9 s lease
        paused.pauseRenewalsFor(Duration.ofSeconds(4));
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(handed::isEmpty);
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_task")).isEqualTo(1);
    }

    @Test
    void aCleanCloseEndsTheLeaseOrLetsItLapseAtOnceWhenTasksAreLeft() throws Exception {
        JdbcTaskJournal journal = journal(Duration.ofSeconds(3));
        JdbcJournalSession idle = openAs(journal, "idle");
        idle.add(ONE).get(10, TimeUnit.SECONDS);
        idle.remove(ONE);
        idle.close();
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_lease")).as("nobody claims a worker that held nothing")
                .isZero();

        JdbcJournalSession leaving = openAs(journal, "leaving");
        leaving.add(TWO).get(10, TimeUnit.SECONDS);
        leaving.close();
        openAs(journal, "next");
        assertThat(handed).as("handed at the open: the lease lapsed at the close").containsOnlyKeys(TWO);
        assertThat(handed.get(TWO)).containsExactly("next");
    }

    @Test
    void aTaskRecordedTwiceAndRemovedInOneBatchLeavesNothing() throws Exception {
        JdbcJournalSession session = openAs(journal(Duration.ofSeconds(3)), "batch");
        session.add(ONE);
        session.remove(ONE);
        session.add(TWO);
        session.flushed().get(10, TimeUnit.SECONDS);
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_task")).isEqualTo(1);
        assertThat(session.journaled()).isEqualTo(2);
        assertThat(session.problem()).isNull();
    }

    @Test
    void aRemovalInABatchTheDatabaseRefusedIsWrittenOnceItAnswersAgainAndTheFaultClears() throws Exception {
        SwitchableDataSource database = new SwitchableDataSource(dataSource);
        JdbcTaskJournal journal = new JdbcTaskJournal(database);
        journal.setLeaseTimeout(Duration.ofSeconds(3));
        JdbcJournalSession session = openAs(journal, "refused");
        session.add(ONE).get(10, TimeUnit.SECONDS);

        database.refuse = true;
        session.remove(ONE); // its answer landed
        assertThat(session.flushed()).as("the batch with the removal").failsWithin(Duration.ofSeconds(10));
        assertThat(session.problem()).contains("sfn_journal_task", "connection refused");
        database.refuse = false;

        // written by the writer's retry while idle, not left for the next start to fail as lost
        await().atMost(Duration.ofSeconds(15)).until(() -> rows("SELECT COUNT(*) FROM sfn_journal_task") == 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> session.problem() == null);
        session.close();
        openAs(journal(Duration.ofSeconds(3)), "next");
        assertThat(handed).as("nothing left for the next worker to fail").isEmpty();
    }

    @Test
    void aDriverMessageThatQuotesTheTokenIsMaskedInTheProblemTheWarnAndTheException() throws Exception {
        JdbcJournalSession session = openAs(journal(Duration.ofSeconds(3)), "quoted");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE sfn_journal_task ADD CONSTRAINT refuse_all CHECK (since < 0)");
        }
        try (io.github.sfnfail.camel.LogCapture logs = new io.github.sfnfail.camel.LogCapture(JdbcJournalSession.class)) {
            assertThat(session.add(ONE)).failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat().satisfies(error -> assertThat(error.getCause().getMessage())
                            .contains("refuse_all").doesNotContain(ONE));
            // pgjdbc's BatchUpdateException quotes every bound parameter
            assertThat(session.problem()).contains("refuse_all", Tokens.mask(ONE)).doesNotContain(ONE);
            assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(ONE));
        }
    }

    @Test
    void anOpenWhoseClaimFailsLeavesNoWriterThreadAndNoLease() throws Exception {
        SwitchableDataSource database = new SwitchableDataSource(dataSource);
        database.refuseCall = 3; // 1 creates the tables, 2 takes the lease, 3 claims the lapsed workers
        JdbcTaskJournal journal = new JdbcTaskJournal(database);

        assertThatThrownBy(() -> journal.open(ARN, "half-open", lost -> { })).isInstanceOf(JournalException.class)
                .hasMessageContaining("connection refused");

        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("sfn-journal-half-open") && thread.isAlive()));
        assertThat(rows("SELECT COUNT(*) FROM sfn_journal_lease")).isZero();
    }

    @Test
    void aCloseOnADatabaseThatNeverAnswersEndsWithinItsWait() throws Exception {
        SwitchableDataSource database = new SwitchableDataSource(dataSource);
        JdbcTaskJournal journal = new JdbcTaskJournal(database);
        journal.setCloseWait(Duration.ofSeconds(1));
        JdbcJournalSession session = (JdbcJournalSession) journal.open(ARN, "deaf", lost -> { });
        CountDownLatch never = new CountDownLatch(1);
        database.hold = never;
        try {
            Thread closer = new Thread(session::close, "closer");
            closer.start();
            closer.join(Duration.ofSeconds(20).toMillis());
            assertThat(closer.isAlive()).as("the close still waits on the database").isFalse();
        } finally {
            database.hold = null;
            never.countDown();
        }
    }

    private static long rows(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
