package io.github.sfnfail.camel.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main job, run as the test suite's last word on the examples: every execution ends as its route
 * answered, good orders SUCCEEDED with the route's output, bad ones FAILED with its error.
 */
class ExampleJobIT {

    @Test
    void everyExampleExecutionEndsAsItsRouteAnsweredAndThePrintedHistoryShowsIt() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int failures;
        try (LocalSqs sqs = LocalSqs.start()) {
            failures = new ExampleJob(ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), sqs.endpoint()),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        }

        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(failures).as(report).isZero();
        assertThat(report)
                .contains("POST /tasks/failure answered 202", "POST /tasks/success answered 202")
                .contains("ActivitySucceeded  output={\"orderId\":\"o-1\",\"reserved\":2}")
                .contains("ActivityFailed  error=OrderRejected  cause=Order o-2 asks for 0 of SKU-1: nothing to reserve")
                .contains("ActivityFailed  error=java.lang.IllegalArgumentException  cause={\"errorMessage\":\"Order o-10")
                .contains("ActivityFailed  error=RejectedByReviewer  cause=Invoice total does not match the PO")
                .contains("ActivitySucceeded  output={\"rendered\":true}")
                .contains("All 7 executions ended as their routes answered: 4 SUCCEEDED with the route's output, "
                          + "3 FAILED with its error.");
    }
}
