package io.github.sfnfail.camel;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of reports beyond the SendTaskFailure (or SendTaskSuccess) quota lands in full, with default options, at about the rate the quota
 * admits (or, on a machine too busy to send that fast, as fast as it sends) and with few throttled calls. Against the
 * token bucket of {@link QuotaStandIn}, which throttles as AWS does. The margins are wide for a loaded 2-core machine;
 * the benchmark prints the exact figures. The component build and the newest SDK's consumer project both run it.
 */
class ThrottlingQuotaTest {

    /**
     * One member of a fleet (the benchmark's first shape, {@link QuotaBurst#shapes()}), through each answering API on a
     * quota of its own: what meets the SDK (throttling told from other errors, left to the pacer, every report sent
     * again until it lands). The burst stays at 1,500 reports: the pacer's first quarter second, before it has measured
     * the refill, costs a few hundred throttled calls against a stand-in that answers as fast as a service does, and 600
     * reports were too few to hold them within one per report. The pacer's other shapes: {@link QuotaPacingShapesTest}.
     */
    static List<QuotaBurst> bursts() {
        QuotaBurst fleetMember = QuotaBurst.shapes().get(0);
        return List.of(fleetMember, fleetMember.through("aws-sfn-success"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bursts")
    void everyReportLandsOnceAtAboutTheRateTheQuotaAdmits(QuotaBurst burst) throws Exception {
        assertLandedOnceAtTheQuotasRate(burst, burst.run());
    }

    static void assertLandedOnceAtTheQuotasRate(QuotaBurst burst, QuotaBurst.Figures figures) {
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
}
