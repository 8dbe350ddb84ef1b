package io.github.sfnfail.camel;

import java.time.Duration;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import io.github.sfnfail.camel.journal.JdbcTaskJournal;
import io.github.sfnfail.camel.journal.KilledWorkers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer with the JDBC task journal (taskJournal=#journal) on a real PostgreSQL: a worker of another name that was
 * killed with two tasks in hand leaves them in the database, and this worker, of the same activity, fails them with
 * WorkerLost once that worker's lease has lapsed, while it goes on running its own tasks, which it records and takes
 * out as their answers land.
 */
class ActivityJdbcJournalTest extends ActivityStandInTestSupport {

    private static final String LOST_ONE = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Jdbc+Lost+One/Of+A+Killed+Pod";
    private static final String LOST_TWO = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Jdbc+Lost+Two/Of+A+Killed+Pod";

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void aLiveWorkerFailsTheTasksOfAKilledPodOnceItsLeaseLapsedAndRunsItsOwn() throws Exception {
        JdbcTaskJournal journal = new JdbcTaskJournal(postgres.getPostgresDatabase());
        journal.setTablePrefix("consumer_journal");
        journal.setLeaseTimeout(Duration.ofSeconds(3));
        KilledWorkers.leftBehind(journal, ARN, "pod-7f9c-killed", LOST_ONE, LOST_TWO);
        context.getRegistry().bind("journal", journal);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=pod-4b1d-live&taskJournal=#journal").routeId("worker")
                        .setBody(constant("{\"reserved\":true}"));
            }
        });

        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> sfn.answers("SendTaskFailure").size() == 2);
        assertThat(sfn.answers("SendTaskFailure")).extracting(ActivityStandIn.Answer::token)
                .containsExactlyInAnyOrder(LOST_ONE, LOST_TWO);
        assertThat(sfn.answers("SendTaskFailure")).allSatisfy(failure -> assertThat(failure.body())
                .contains(SfnActivityConsumer.WORKER_LOST).contains("pod-7f9c-killed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("worker").getTasksFailedAsLost() == 2);
        assertThat(endpoint("worker").getTasksJournaled()).isEqualTo(1);
        // everything settled is out of the database
        await().atMost(Duration.ofSeconds(10)).until(() -> count("consumer_journal_task") == 0);
    }

    private static long count(String table) throws Exception {
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var result = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

}
