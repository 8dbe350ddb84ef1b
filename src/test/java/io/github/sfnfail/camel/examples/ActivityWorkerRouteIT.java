package io.github.sfnfail.camel.examples;

import java.util.Properties;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.LogCapture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/activity-worker.yaml works for a real activity of the emulator through aws-sfn-activity: an order it serves succeeds with the route's
 * output, one it cannot serve fails as OrderRejected.
 */
class ActivityWorkerRouteIT {

    private final ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), null);
    private StepFunctionsDriver driver;
    private ExampleApplication app;
    private String stateMachineArn;

    @BeforeEach
    void start() {
        driver = StepFunctionsDriver.connect(target);
        String name = "activity-worker-" + System.nanoTime();
        String activityArn = driver.createActivity(name);
        stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn());
        Properties properties = target.properties();
        properties.setProperty("worker.activity-arn", activityArn);
        app = ExampleApplication.start(properties, "activity-worker.yaml", "reserve-stock.yaml");
    }

    @AfterEach
    void stop() {
        app.close();
        driver.close();
    }

    @Test
    void orderThatCanBeServedSucceedsTheExecutionWithTheRoutesOutput() {
        String execution = driver.startExecution(stateMachineArn,
                "{\"orderId\":\"o-6\",\"sku\":\"SKU-1\",\"quantity\":2}");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(driver.output(execution)).isEqualTo("{\"orderId\":\"o-6\",\"reserved\":2}");
    }

    /* An expected business failure: named for the state machine's Catch, with no ERROR and no stack trace in the log. */
    @Test
    void orderWithNothingToReserveFailsTheExecutionAsOrderRejectedQuietly() {
        try (LogCapture logs = new LogCapture()) {
            String execution = driver.startExecution(stateMachineArn,
                    "{\"orderId\":\"o-7\",\"sku\":\"SKU-1\",\"quantity\":0}");

            assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
            ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
            assertThat(failure.error()).isEqualTo("OrderRejected");
            assertThat(failure.cause()).isEqualTo("Order o-7 asks for 0 of SKU-1: nothing to reserve");
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                    .noneMatch(event -> event.getThrowableProxy() != null)
                    .anyMatch(event -> event.getFormattedMessage().contains("Order rejected"));
        }
    }

    @Test
    void orderThatIsNotJsonFailsTheExecutionWithTheParserMessage() {
        String execution = driver.startExecution(stateMachineArn, "\"just a string\"");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
        assertThat(failure.error()).isEqualTo("OrderRejected");
        assertThat(failure.cause()).isNotBlank();
    }
}
