package io.github.sfnfail.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import io.github.sfnfail.camel.journal.FileTaskJournal;
import io.github.sfnfail.camel.journal.JournalException;
import io.github.sfnfail.camel.journal.JournalSession;
import io.github.sfnfail.camel.journal.LostTask;
import io.github.sfnfail.camel.journal.TaskJournal;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The consumer with a task journal (journalDirectory, taskJournal), against the loopback stand-in: what a worker that
 * ended abruptly left in the journal is failed with WorkerLost before the next start's first poll, a task closed
 * meanwhile is dropped quietly, a task is in the journal until its answer lands (one whose answer is refused stays for
 * the next start), a second live worker of the same identity is refused at start, and a journal that cannot be opened
 * or written loses no task (the task runs and is answered; the health check is DOWN naming the journal; a counter).
 * The SIGKILL of a real process is WorkerCrashJournalIT's.
 */
class ActivityJournalTest extends ActivityStandInTestSupport {

    private static final String WORKER = "journaled";
    private static final String LOST_ONE = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Lost+Task+One/Of+A+Worker+Killed";
    private static final String LOST_TWO = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Lost+Task+Two/Of+A+Worker+Killed";
    private static final String CLOSED_MEANWHILE = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Lost+Task+Timed/Out+Meanwhile";

    @TempDir
    Path temp;

    private final List<String> ran = new CopyOnWriteArrayList<>();

    private RouteBuilder worker(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=" + WORKER + options).routeId("worker")
                        .process(e -> ran.add(e.getMessage().getHeader(SfnConstants.TASK_TOKEN, String.class)))
                        .setBody(constant("{\"reserved\":true}"));
            }
        };
    }

    /** What a worker that was killed left: tokens recorded durably, never taken out. */
    private Path journalLeftBy(String... tokens) throws Exception {
        Path directory = temp.resolve("journal");
        try (JournalSession killed = new FileTaskJournal(directory).open(ARN, WORKER, lost -> {
        })) {
            for (String token : tokens) {
                killed.add(token).get(10, TimeUnit.SECONDS);
            }
        }
        return directory;
    }

    /** The tasks the journal hands out at an open now: what the worker left in it. */
    private static List<String> leftIn(Path directory) throws JournalException {
        List<String> left = new ArrayList<>();
        try (JournalSession next = new FileTaskJournal(directory).open(ARN, WORKER,
                lost -> lost.stream().map(LostTask::token).forEach(left::add))) {
            return left;
        }
    }

    @Test
    void tasksAWorkerLeftInTheJournalAreFailedWithWorkerLostBeforeTheFirstPoll() throws Exception {
        Path directory = journalLeftBy(LOST_ONE, LOST_TWO, CLOSED_MEANWHILE);
        sfn.closeTask(CLOSED_MEANWHILE);
        sfn.holdFor(30_000);

        try (LogCapture logs = new LogCapture()) {
            start(worker("&journalDirectory=" + directory));
            await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskFailure").size() == 3);

            List<ActivityStandIn.Answer> failures = sfn.answers("SendTaskFailure");
            assertThat(failures).extracting(ActivityStandIn.Answer::token)
                    .containsExactlyInAnyOrder(LOST_ONE, LOST_TWO, CLOSED_MEANWHILE);
            for (ActivityStandIn.Answer failure : failures) {
                assertThat(failure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_LOST + "\"")
                        .contains("ended abruptly").contains("the work may be partly done");
            }
            // the lost tasks take the worker's one slot: its first poll waits for their answers
            await().atMost(Duration.ofSeconds(10)).until(() -> sfn.firstPollNanos() != 0);
            assertThat(failures).allMatch(failure -> failure.arrivedNanos() < sfn.firstPollNanos());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> endpoint("worker").getActivityCounters().lostFailed() == 2);
            assertThat(endpoint("worker").getTasksInHand()).isZero();
            assertThat(logs.events()).as("the task closed meanwhile is dropped quietly")
                    .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.INFO)
                                        && event.getFormattedMessage().contains("was closed before"));
            assertThat(logs.events()).as("no token in full in any line")
                    .noneMatch(event -> event.getFormattedMessage().contains(LOST_ONE));
            assertThat(logs.events()).anyMatch(event -> event.getLevel() == Level.INFO
                                                        && event.getFormattedMessage().contains("Failing 3 task(s)"));
        }
        assertThat(ran).as("a lost task is failed, not run").isEmpty();

        sfn.answerPollsAtOnce();
        context.stop();
        assertThat(leftIn(directory)).as("every lost task was settled and taken out").isEmpty();
    }

    @Test
    void aTaskIsInTheJournalUntilItsAnswerLandsAndOneWhoseAnswerWasRefusedStaysForTheNextStart() throws Exception {
        Path directory = temp.resolve("journal");
        String refused = TOKEN + "+Refused";
        // Step Functions refuses every answer to this task (access denied): nobody could answer it yet
        sfn.failAnswersAbout(refused, 10, 400, "AccessDeniedException");
        sfn.offer(TOKEN, "{\"quantity\":1}");
        sfn.offer(refused, "{\"quantity\":2}");

        start(worker("&journalDirectory=" + directory));
        await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskSuccess").size() == 2
                                                          && !sfn.answers("SendTaskFailure").isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getTasksInHand() == 0);
        assertThat(endpoint("worker").getTasksJournaled()).isEqualTo(2);
        assertThat(endpoint("worker").getJournalErrors()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .as("the directory is its owner's only").isEqualTo("rwx------");
        try (var files = Files.list(directory)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty().allSatisfy(file -> assertThat(
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
        sfn.answerPollsAtOnce();
        context.stop();

        assertThat(leftIn(directory)).as("the answered task was taken out; the refused one stays")
                .containsExactly(refused);
    }

    @Test
    void aSecondLiveWorkerOfTheSameIdentityIsRefusedAtStartNamingTheJournal() throws Exception {
        Path directory = temp.resolve("journal");
        start(worker("&journalDirectory=" + directory));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        CamelContext second = new DefaultCamelContext();
        LoopbackComponents.pointAt(second, sfn.url(), REGION, ACCESS_KEY, SECRET_KEY, "aws-sfn-activity");
        try {
            second.addRoutes(worker("&journalDirectory=" + directory));
            assertThatThrownBy(second::start).hasStackTraceContaining(directory.toString())
                    .hasStackTraceContaining("worker name '" + WORKER + "'")
                    .hasStackTraceContaining("give each worker that shares a journal directory its own worker name");
        } finally {
            second.stop();
        }
        assertThat(sfn.openPolls()).as("the first worker still polls, alone").isEqualTo(1);
    }

    @Test
    void aJournalThatCannotBeOpenedLetsTheWorkerRunAndItsHealthCheckSaysSo() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "x").resolve("journal");
        sfn.offer(TOKEN, "{\"quantity\":1}");

        start(worker("&journalDirectory=" + notADirectory));

        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");
        assertThat(success.token()).isEqualTo(TOKEN);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> HealthChecksOn.consumer(context, "worker").getState() == HealthCheck.State.DOWN);
        assertThat(HealthChecksOn.consumer(context, "worker").getMessage()).get().asString()
                .contains("task journal").contains("could not be opened").contains(notADirectory.toString());
    }

    @Test
    void aJournalThatCannotWriteLosesNoTaskAndSaysSo() throws Exception {
        FailingJournal failing = new FailingJournal();
        context.getRegistry().bind("failingJournal", failing);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        start(worker("&taskJournal=#failingJournal"));

        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");
        assertThat(success.token()).isEqualTo(TOKEN);
        assertThat(ran).containsExactly(TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("worker").getJournalErrors() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> HealthChecksOn.consumer(context, "worker").getState() == HealthCheck.State.DOWN);
        assertThat(HealthChecksOn.consumer(context, "worker").getMessage()).get().asString()
                .contains("task journal").contains("disk full in the test's journal");
        assertThat(failing.opened).as("opened once, before the first poll").hasValue(1);
    }

    @Test
    void journalDirectoryAndTaskJournalTogetherAreRefused() {
        context.getRegistry().bind("failingJournal", new FailingJournal());
        assertThatThrownBy(() -> start(worker("&journalDirectory=" + temp + "&taskJournal=#failingJournal")))
                .hasStackTraceContaining("Set journalDirectory (a file journal) or taskJournal (a journal bean), not "
                                         + "both");
    }

    @Test
    void aBlockedRouteHoldsItsTaskInTheJournalWhileItRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingJournal recording = new RecordingJournal();
        context.getRegistry().bind("recording", recording);
        sfn.offer(TOKEN, "{\"quantity\":1}");
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=" + WORKER + "&taskJournal=#recording").routeId("worker")
                        .process(e -> {
                            ran.add("started while journaled: " + recording.held.contains(TOKEN));
                            release.await(20, TimeUnit.SECONDS);
                        });
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isEmpty());
        assertThat(ran).containsExactly("started while journaled: true");
        assertThat(recording.held).containsExactly(TOKEN);
        release.countDown();
        awaitAnswer("SendTaskSuccess");
        await().atMost(Duration.ofSeconds(10)).until(recording.held::isEmpty);
    }

    /** A journal whose every write fails, as on a full disk. */
    private static final class FailingJournal implements TaskJournal {

        final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public JournalSession open(String activityArn, String workerName, io.github.sfnfail.camel.journal.LostTaskHandler handler) {
            opened.incrementAndGet();
            return new JournalSession() {
                private volatile long errors;

                @Override
                public CompletableFuture<Void> add(String token) {
                    errors++;
                    return CompletableFuture.failedFuture(new JournalException("disk full in the test's journal"));
                }

                @Override
                public void remove(String token) {
                }

                @Override
                public CompletableFuture<Void> flushed() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public String problem() {
                    return errors > 0 ? "disk full in the test's journal" : null;
                }

                @Override
                public long journaled() {
                    return 0;
                }

                @Override
                public long errors() {
                    return errors;
                }

                @Override
                public String location() {
                    return "the test's journal";
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A journal that holds what it was told, in memory. */
    private static final class RecordingJournal implements TaskJournal {

        final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public JournalSession open(String activityArn, String workerName, io.github.sfnfail.camel.journal.LostTaskHandler handler) {
            return new JournalSession() {
                @Override
                public CompletableFuture<Void> add(String token) {
                    held.add(token);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void remove(String token) {
                    held.remove(token);
                }

                @Override
                public CompletableFuture<Void> flushed() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public String problem() {
                    return null;
                }

                @Override
                public long journaled() {
                    return held.size();
                }

                @Override
                public long errors() {
                    return 0;
                }

                @Override
                public String location() {
                    return "memory";
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
