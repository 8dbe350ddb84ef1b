package io.github.sfnfail.camel;

import java.util.List;

import io.github.sfnfail.camel.engine.ThrottlePacer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of reports beyond the SendTaskFailure (or SendTaskSuccess) quota lands in full, with default options, at about the rate the quota
 * admits (or, on a machine too busy to send that fast, as fast as it sends) and with few throttled calls. Against the
 * token bucket of {@link QuotaStandIn}, which throttles as AWS does. The margins are wide for a loaded 2-core machine;
 * the benchmark prints the exact figures.
 */
class ThrottlingQuotaTest {

    /**
     * The benchmark's shapes ({@link QuotaBurst#shapes()}), the us-east-1 one with fewer reports: a few seconds of
     * pacing past its bucket instead of half a minute, the same behaviour in less time (the benchmark prints the full
     * shape). The fleet member's burst stays at 1,500 reports: the pacer's first quarter second, before it has measured
     * the refill, costs a few hundred throttled calls against a stand-in that answers as fast as a service does, and
     * 600 reports were too few to hold them within one per report. Success reports once, through the same pacer on an
     * API with a quota of its own.
     */
    static List<QuotaBurst> bursts() {
        QuotaBurst fleetMember = QuotaBurst.shapes().get(0);
        return List.of(fleetMember,
                new QuotaBurst("us-east-1 quota: 6000 into bucket 3000 + 500/s", 3000, 500, 1, 6000),
                // pacers of their own competing learn the rate at a cost in throttled calls: as many reports as before
                QuotaBurst.shapes().get(2),
                fleetMember.through("aws-sfn-success"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bursts")
    void everyReportLandsOnceAtAboutTheRateTheQuotaAdmits(QuotaBurst burst) throws Exception {
        QuotaBurst.Figures figures = burst.run();

        assertThat(figures.failed()).as("reports failed").isZero();
        assertThat(figures.landedTasks()).as("tasks reported").isEqualTo(figures.reports());
        assertThat(figures.duplicates()).as("tasks reported twice").isZero();
        assertThat(figures.seconds()).as("seconds, against the quota's floor of %.1f s and this machine's pace of %.1f s",
                figures.floorSeconds(burst), figures.machineSeconds()).isLessThan(figures.expectedSeconds(burst) * 1.25 + 5);
        assertThat(figures.throttledCalls()).as("throttled calls").isLessThanOrEqualTo(figures.reports());
    }

    @Test
    void throttlingAtRandomUnrelatedToTheRateNeverSlowsReportsToACrawl() throws Exception {
        // no quota at all, but 8 % of calls throttled whatever the rate: a noisy account, not a full bucket
        QuotaBurst noisy = new QuotaBurst("noisy account", 1_000_000, 1_000_000, 1, 3000, 0.08);

        QuotaBurst.Figures figures = noisy.run();

        assertThat(figures.failed()).isZero();
        assertThat(figures.landedTasks()).isEqualTo(3000);
        assertThat(figures.throttledCalls()).as("throttled calls").isPositive();
        // a few seconds when the noise is not taken for a quota; minutes when the pace collapses on it
        assertThat(figures.seconds()).as("seconds for 3000 reports").isLessThan(30);
    }

    /**
     * Four endpoints of one application on one quota (same credentials, region and API) share one pacer: the burst lands
     * as from one endpoint. With an access key each they pace apart, as workers do, and throttle more; the benchmark
     * prints the three side by side.
     */
    @Test
    void endpointsOfOneApplicationOnOneQuotaArePacedAsOne() throws Exception {
        // a quota well below what even a busy machine sends (the pacer paces on evidence: over a tenth of a second's
        // calls throttled), so that the four endpoints are throttled and paced however loaded the machine
        QuotaBurst alone = new QuotaBurst("1 endpoint: 300 into bucket 40 + 40/s", 40, 40, 1, 300);
        QuotaBurst.Figures one = alone.run();
        QuotaBurst shared = alone.overEndpoints("4 endpoints, one quota: 300 into bucket 40 + 40/s", 4, false);

        QuotaBurst.Figures four;
        List<String> pacingLines;
        // the pacer's own lines only: every event of the JVM at TRACE (wire dumps of 600 calls) slowed a loaded
        // machine's burst below the quota's refill, and nothing was throttled to pace
        try (LogCapture logs = new LogCapture(ThrottlePacer.class)) {
            four = shared.run();
            pacingLines = logs.events().stream().map(event -> event.getFormattedMessage())
                    .filter(line -> line.startsWith("Step Functions throttles SendTaskFailure")).toList();
        }

        assertThat(four.failed()).as("reports failed").isZero();
        assertThat(four.landedTasks()).as("tasks reported").isEqualTo(300);
        assertThat(four.duplicates()).as("tasks reported twice").isZero();
        assertThat(pacingLines).as("one pacer for the four endpoints").hasSize(1);
        assertThat(pacingLines.get(0)).contains("worker0-endpoint0", "worker0-endpoint1", "worker0-endpoint2",
                "worker0-endpoint3");
        assertThat(four.seconds()).as("seconds, against the quota's floor of %.1f s and this machine's pace of %.1f s",
                four.floorSeconds(shared), four.machineSeconds()).isLessThan(four.expectedSeconds(shared) * 1.25 + 5);
        // four pacers competing throttle about three times as often as one (the benchmark shows it); wide margin here
        assertThat(four.throttledCalls()).as("throttled calls, against %d from one endpoint", one.throttledCalls())
                .isLessThanOrEqualTo(one.throttledCalls() * 2 + four.reports() / 4);
    }
}
