package io.github.sfnfail.camel.soak;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.sfnfail.camel.soak.SoakReport.Bounds;
import io.github.sfnfail.camel.soak.SoakReport.Check;
import io.github.sfnfail.camel.soak.SoakReport.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak of issue 33 in short, so that no change breaks the whole silently: two camel-main workers, each a JVM of its
 * own, with heartbeats on, for half a minute of tasks against the stand-in of the service (faults on: 5xx, resets, slow
 * replies, one quota bucket per API at the edge of the offered rate), while the second worker is restarted twice: once
 * with SIGTERM, once with SIGKILL. The bar of the default run, with room for a loaded machine: nothing lost, nothing
 * answered twice, no timeout but a task handed to the killed worker's dead poll, answers keeping up outside the
 * restarts. The journal is on: the killed worker's replacement starts on its journal under its worker name and fails
 * every task that was in hand at the SIGKILL as WorkerLost, and the stand-in's Retry hands them on.
 */
class ShortSoakIT {

    @Test
    void aFleetRestartedKilledAndFaultedAnswersEveryTaskOnceOrLosesItOnlyToTheKill() throws Exception {
        SoakSettings settings = SoakSettings.of(Map.ofEntries(
                Map.entry("minutes", "0.34"), // 20 s of offers
                Map.entry("workers", "2"),
                Map.entry("tasksPerSecond", "40"),
                Map.entry("durations", "5ms-300ms:90,300ms-3s:10"),
                Map.entry("restartEvery", "7s"), // at 7 s and 14 s
                Map.entry("killShare", "0.5"), // the second
                Map.entry("hold", "5s"),
                // the killed worker's replacement is a fresh JVM, which on a loaded machine takes 10 s to its journal
                Map.entry("heartbeatSeconds", "20"),
                Map.entry("heartbeatPeriod", "1s"),
                Map.entry("bucket", "100"),
                Map.entry("refill", "45"),
                Map.entry("errors5xx", "0.03"),
                Map.entry("resets", "0.02"),
                Map.entry("slow", "0.02"),
                Map.entry("slowBy", "1s"),
                Map.entry("retryInterval", "500ms"),
                Map.entry("journal", "on"),
                Map.entry("minPollers", "2"),
                Map.entry("maxPollers", "8"),
                Map.entry("maxTasks", "100"),
                Map.entry("workerHeap", "128m"),
                Map.entry("warmup", "3s"),
                Map.entry("settle", "3s"),
                Map.entry("progressEvery", "10s"),
                Map.entry("statsEvery", "1s"),
                Map.entry("liveHeapEvery", "3s"),
                Map.entry("out", "target/soak-it")));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        SoakRun.Result result = new SoakRun(settings, Bounds.wide(), out).run();

        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        SoakReport figures = result.report();
        assertThat(result.checks()).as(report).noneMatch(check -> check.status() == Status.FAIL);
        assertThat(result.checks()).extracting(Check::name).as(report)
                .contains("nothing lost", "nothing answered twice");
        assertThat(figures.sigterms).as("restarts with SIGTERM").isEqualTo(1);
        assertThat(figures.kills).as("restarts with SIGKILL").isEqualTo(1);
        assertThat(figures.offered).as("tasks offered").isGreaterThan(700);
        assertThat(figures.completedOnce + figures.timedOutDeadPollAfterKill + figures.timedOutInHandAtKillUnrecorded)
                .as("every task completed once, or timed out in a dead poll of the killed worker (or handed to it as "
                    + "the kill came, before its journal had it)\n" + report)
                .isEqualTo(figures.offered);
        assertThat(figures.timedOutInHandAtKill).as("tasks in hand at the SIGKILL that timed out\n" + report).isZero();
        assertThat(figures.inHandAtKillLostInTime + figures.inHandAtKillAnswered + figures.inHandAtKillUnrecorded)
                .as("tasks in hand at the SIGKILL failed as WorkerLost in time, answered as the kill came, or handed "
                    + "as it came before the journal had them\n" + report)
                .isEqualTo(figures.inHandAtKill);
        assertThat(figures.inHandAtKillLostInTime).as("tasks the journal gave back as WorkerLost\n" + report)
                .isGreaterThanOrEqualTo(figures.inHandAtKill / 2);
        assertThat(figures.ledger().faults5xx + figures.ledger().resetsBefore + figures.ledger().resetsAfter)
                .as("faults were on").isPositive();
        assertThat(result.dir().resolve("timeline.png")).isNotEmptyFile();
    }
}
