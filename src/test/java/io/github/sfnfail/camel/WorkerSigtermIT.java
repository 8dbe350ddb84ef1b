package io.github.sfnfail.camel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A camel-main worker in a process of its own gets SIGTERM, as Kubernetes sends it, with Camel's default shutdown
 * timeout of 45 s, while its route runs a task longer than that and a second long poll is open. Step Functions holds
 * that poll a minute and may hand it a task at any moment of it: here, 50 s after the SIGTERM, past Camel's timeout.
 * Both tasks are answered with WorkerStopped before the process ends (a Retry hands them on at once), and nothing else
 * is sent after that.
 */
class WorkerSigtermIT {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:sigterm";
    private static final String LONG_TASK = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Long+Task+Token/Shape";
    private static final String LATE_TASK = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Late+Task+Token/Shape";

    private final ActivityStandIn sfn = ActivityStandIn.started();
    private Process worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.destroyForcibly();
        }
        sfn.close();
    }

    @Test
    void sigtermAnswersTheTaskInHandAndTheTaskAHeldPollBringsPastTheShutdownTimeout() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "sigterm-" + System.nanoTime()));
        Path log = dir.resolve("worker.log");
        worker = start(dir, log);
        await().atMost(Duration.ofSeconds(60)).until(() -> sfn.openPolls() == 2);
        sfn.offer(LONG_TASK, "{\"work\":\"long\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskHeartbeat").size() >= 2
                                                           && sfn.openPolls() == 1);

        long sigterm = System.nanoTime();
        worker.destroy(); // SIGTERM

        // Camel waits 45 s for the task in hand, then gives up on it
        ActivityStandIn.Answer longFailure = await().atMost(Duration.ofSeconds(70))
                .until(() -> failureOf(LONG_TASK), answer -> answer != null);
        assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("failed when the shutdown timeout ran out")
                .isBetween(Duration.ofSeconds(40), Duration.ofSeconds(65));
        assertThat(longFailure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"")
                .contains("stopped while it ran this task");

        // the poll opened before the SIGTERM is still held, past Camel's 45 s: it is handed a task now
        long waitFor = TimeUnit.SECONDS.toNanos(50) - (System.nanoTime() - sigterm);
        if (waitFor > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(waitFor));
        }
        assertThat(sfn.openPolls()).as("the poll is held, not cut off by the stop").isEqualTo(1);
        sfn.offer(LATE_TASK, "{\"work\":\"short\"}");

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
        ActivityStandIn.Answer lateFailure = failureOf(LATE_TASK);
        assertThat(lateFailure).as("the late task was answered before the process ended; see " + log).isNotNull();
        assertThat(lateFailure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"");

        List<ActivityStandIn.Answer> answers = sfn.answers();
        assertThat(answers).filteredOn(answer -> !answer.action().equals("SendTaskHeartbeat"))
                .extracting(ActivityStandIn.Answer::action).containsExactly("SendTaskFailure", "SendTaskFailure");
        assertThat(answers.subList(answers.indexOf(longFailure), answers.size()))
                .as("no heartbeat after the long task's failure")
                .noneMatch(answer -> answer.action().equals("SendTaskHeartbeat"));
        assertThat(Files.readString(log)).contains("still ran 1 task(s)");
    }

    private ActivityStandIn.Answer failureOf(String token) {
        return sfn.answers("SendTaskFailure").stream().filter(answer -> token.equals(answer.token())).findFirst()
                .orElse(null);
    }

    /** camel-main's own Main, as a user's worker runs, with the component's defaults and Camel's. */
    private Process start(Path dir, Path log) throws IOException {
        return CamelMainProcess.start(dir, log, """
                - route:
                    id: worker
                    from:
                      uri: "aws-sfn-activity:%s"
                      parameters:
                        concurrentPollers: 2
                        heartbeatPeriod: 1s
                        workerName: sigterm
                      steps:
                        - choice:
                            when:
                              - simple: "${body} contains 'long'"
                                steps:
                                  - delay:
                                      constant: 90000
                                      asyncDelayed: false
                        - setBody:
                            constant: "{\\"done\\":true}"
                """.formatted(ARN), "sigterm-worker", sfn.url());
    }
}
