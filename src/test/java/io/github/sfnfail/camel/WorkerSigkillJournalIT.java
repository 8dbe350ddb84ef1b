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
 * A camel-main worker in a process of its own, with a file journal (journalDirectory), is killed with SIGKILL while it
 * holds three tasks and after it answered a fourth. The next worker started on the same journal fails exactly the three
 * that were in hand with AwsSfnActivity.WorkerLost, within seconds of its start, and does not answer the fourth again.
 */
class WorkerSigkillJournalIT {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:sigkill";
    private static final String ANSWERED = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Answered+Before+The/Kill";
    private static final List<String> IN_HAND = List.of(
            "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/In+Hand+At+The/Kill+One",
            "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/In+Hand+At+The/Kill+Two",
            "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/In+Hand+At+The/Kill+Three");

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
    void theNextWorkerOnTheJournalFailsExactlyTheTasksTheKilledOneHeld() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "sigkill-" + System.nanoTime())).toAbsolutePath();
        worker = start(dir, dir.resolve("first.log"));
        await().atMost(Duration.ofSeconds(60)).until(() -> sfn.openPolls() == 4);
        sfn.offer(ANSWERED, "{\"work\":\"short\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 1);
        for (String token : IN_HAND) {
            sfn.offer(token, "{\"work\":\"long\"}");
        }
        // each task in hand has run long enough to beat
        await().atMost(Duration.ofSeconds(15)).until(() -> IN_HAND.stream().allMatch(token -> sfn.answers(
                "SendTaskHeartbeat").stream().anyMatch(beat -> token.equals(beat.token()))));

        worker.destroyForcibly(); // SIGKILL
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sfn.answers("SendTaskFailure")).as("the killed worker answered nothing it held").isEmpty();

        long started = System.nanoTime();
        Path secondLog = dir.resolve("second.log");
        worker = start(dir, secondLog);
        // a JVM's and Camel's start take seconds, tens on a loaded machine: the bound is wide, the figure is printed
        await().atMost(Duration.ofSeconds(120)).until(() -> sfn.answers("SendTaskFailure").size() == IN_HAND.size());
        Duration afterStart = Duration.ofNanos(System.nanoTime() - started);

        List<ActivityStandIn.Answer> failures = sfn.answers("SendTaskFailure");
        assertThat(failures).extracting(ActivityStandIn.Answer::token).containsExactlyInAnyOrderElementsOf(IN_HAND);
        assertThat(failures).allSatisfy(failure -> assertThat(failure.body())
                .contains("\"error\":\"" + SfnActivityConsumer.WORKER_LOST + "\"").contains("ended abruptly"));
        // the second worker keeps polling; the answered task is not answered again
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> sfn.answers("SendTaskFailure").size() == IN_HAND.size());
        assertThat(sfn.answers()).filteredOn(answer -> ANSWERED.equals(answer.token()))
                .extracting(ActivityStandIn.Answer::action).containsExactly("SendTaskSuccess");
        assertThat(Files.readString(secondLog)).contains("3 task(s) left behind").doesNotContain(IN_HAND.get(0));
        System.out.printf("The next worker failed the %d tasks in hand at the SIGKILL %d ms after its process started%n",
                IN_HAND.size(), afterStart.toMillis());
    }

    /** camel-main's own Main, as a user's worker runs, with a file journal. */
    private Process start(Path dir, Path log) throws IOException {
        return CamelMainProcess.start(dir, log, """
                - route:
                    id: worker
                    from:
                      uri: "aws-sfn-activity:%s"
                      parameters:
                        concurrentPollers: 4
                        heartbeatPeriod: 1s
                        workerName: sigkill
                        journalDirectory: "%s"
                      steps:
                        - choice:
                            when:
                              - simple: "${body} contains 'long'"
                                steps:
                                  - delay:
                                      constant: 600000
                                      asyncDelayed: false
                        - setBody:
                            constant: "{\\"done\\":true}"
                """.formatted(ARN, dir.resolve("journal")), "sigkill-worker", sfn.url());
    }
}
