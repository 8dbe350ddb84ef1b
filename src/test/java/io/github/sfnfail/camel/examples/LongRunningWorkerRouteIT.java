package io.github.sfnfail.camel.examples;

import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/long-running-worker.yaml on the emulator, which enforces HeartbeatSeconds: a job of 5 s under
 * HeartbeatSeconds=2 succeeds only thanks to aws-sfn-heartbeat's period.
 */
class LongRunningWorkerRouteIT {

    private final ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), null);
    private final StepFunctionsDriver driver = StepFunctionsDriver.connect(target);
    private ExampleApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        driver.close();
    }

    @Test
    void aJobLongerThanHeartbeatSecondsSucceedsWithAHeartbeatEveryPeriod() {
        String execution = runJob("500ms");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(driver.output(execution)).isEqualTo("{\"rendered\":true}");
    }

    @Test
    void theSameJobTimesOutWhenHeartbeatsComeTooRarely() {
        String execution = runJob("60s");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(driver.history(execution)).extracting(event -> event.type())
                .contains(HistoryEventType.ACTIVITY_TIMED_OUT);
    }

    private String runJob(String heartbeatPeriod) {
        String name = "render-" + System.nanoTime();
        String activityArn = driver.createActivity(name);
        String stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn(), 2);
        Properties properties = target.properties();
        properties.setProperty("render.activity-arn", activityArn);
        properties.setProperty("render.millis", "5000");
        properties.setProperty("render.heartbeat-period", heartbeatPeriod);
        properties.setProperty("render.poll-period", "100");
        app = ExampleApplication.start(properties, "long-running-worker.yaml");
        return driver.startExecution(stateMachineArn, "{\"video\":\"v-1\"}");
    }
}
