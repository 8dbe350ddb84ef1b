package io.github.sfnfail.camel;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of reports beyond the SendTaskFailure quota lands in full, with default options, at about the rate the quota
 * admits and with few throttled calls. Against the token bucket of {@link QuotaStandIn}, which throttles as AWS does.
 * The margins are wide for a loaded 2-core machine; the benchmark prints the exact figures.
 */
class ThrottlingQuotaTest {

    static Stream<Arguments> bursts() {
        return Stream.of(
                // one member of a fleet: its share of the quota refills slowly against its burst
                Arguments.of(new QuotaBurst("fleet-member", 200, 100, 1, 1500)),
                // us-east-1's documented quota itself
                Arguments.of(new QuotaBurst("us-east-1", 3000, 500, 1, 20_000)),
                // three workers, each its own Camel context, sharing one account's bucket
                Arguments.of(new QuotaBurst("three-workers", 200, 100, 3, 500)));
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
}
