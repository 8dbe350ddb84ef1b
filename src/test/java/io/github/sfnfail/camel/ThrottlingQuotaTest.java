package io.github.sfnfail.camel;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of reports beyond the SendTaskFailure (or SendTaskSuccess) quota lands in full, with default options, at about the rate the quota
 * admits and with few throttled calls. Against the token bucket of {@link QuotaStandIn}, which throttles as AWS does.
 * The margins are wide for a loaded 2-core machine; the benchmark prints the exact figures.
 */
class ThrottlingQuotaTest {

    /** Each shape for failure reports and for success reports, whose API has a quota of its own. */
    static List<QuotaBurst> bursts() {
        return java.util.stream.Stream.concat(QuotaBurst.shapes().stream(),
                QuotaBurst.shapes().stream().map(burst -> burst.through("aws-sfn-success"))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bursts")
    void everyReportLandsOnceAtAboutTheRateTheQuotaAdmits(QuotaBurst burst) throws Exception {
        QuotaBurst.Figures figures = burst.run();

        assertThat(figures.failed()).as("reports failed").isZero();
        assertThat(figures.landedTasks()).as("tasks reported").isEqualTo(figures.reports());
        assertThat(figures.duplicates()).as("tasks reported twice").isZero();
        assertThat(figures.seconds()).as("seconds, against the quota's floor of %.1f s", figures.floorSeconds(burst))
                .isLessThan(figures.floorSeconds(burst) * 1.25 + 5);
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
