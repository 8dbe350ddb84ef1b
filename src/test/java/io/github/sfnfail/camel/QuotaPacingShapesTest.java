package io.github.sfnfail.camel;

import java.util.List;

import io.github.sfnfail.camel.engine.ThrottlePacer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacer's shapes beyond one worker's burst: the us-east-1 quota past its bucket, workers of their own competing for
 * one bucket, endpoints of one application sharing one. The pacer's own arithmetic, the same on every SDK: the component
 * build runs it, the newest SDK's consumer project runs {@link ThrottlingQuotaTest} only. Against the token bucket of
 * {@link QuotaStandIn}; margins wide for a loaded 2-core machine, exact figures from the benchmark.
 */
class QuotaPacingShapesTest {

    /**
     * The us-east-1 one with fewer reports than the benchmark's: a few seconds of pacing past its bucket instead of half a
     * minute, the same behaviour in less time. Pacers of their own competing learn the rate at a cost in throttled calls:
     * as many reports as the benchmark's.
     */
    static List<QuotaBurst> bursts() {
        return List.of(new QuotaBurst("us-east-1 quota: 6000 into bucket 3000 + 500/s", 3000, 500, 1, 6000),
                QuotaBurst.shapes().get(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bursts")
    void everyReportLandsOnceAtAboutTheRateTheQuotaAdmits(QuotaBurst burst) throws Exception {
        ThrottlingQuotaTest.assertLandedOnceAtTheQuotasRate(burst, burst.run());
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
