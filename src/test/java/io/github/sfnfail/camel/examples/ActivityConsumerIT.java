package io.github.sfnfail.camel.examples;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * aws-sfn-activity on the Step Functions emulator: many executions through a consumer with several pollers, each
 * answered as its exchange ended; and HeartbeatSeconds, which the emulator enforces, met only with heartbeatPeriod.
 */
class ActivityConsumerIT {

    private static final int EXECUTIONS = 20;

    private final ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), null);
    private StepFunctionsDriver driver;
    private CamelContext camel;

    @BeforeEach
    void start() {
        driver = StepFunctionsDriver.connect(target);
        camel = new DefaultCamelContext();
        target.configure(camel, "aws-sfn-activity");
    }

    @AfterEach
    void stop() {
        camel.stop();
        driver.close();
    }

    @Test
    void goodOrdersSucceedWithTheRoutesOutputAndBadOnesFailWithTheExceptionsClass() throws Exception {
        String name = "consumer-" + System.nanoTime();
        String activity = driver.createActivity(name);
        String stateMachine = driver.createStateMachine(name, activity, target.roleArn());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + activity + "?concurrentPollers=3&workerName=it-worker")
                        .unmarshal().json()
                        .choice()
                            .when(simple("${body[quantity]} <= 0"))
                                .throwException(new IllegalStateException("nothing to reserve"))
                            .otherwise()
                                .setBody(simple("{\"orderId\":\"${body[orderId]}\",\"reserved\":${body[quantity]}}"));
            }
        });
        camel.start();

        List<String> executions = new ArrayList<>();
        for (int i = 0; i < EXECUTIONS; i++) {
            executions.add(driver.startExecution(stateMachine,
                    "{\"orderId\":\"o-" + i + "\",\"quantity\":" + (i % 2 == 0 ? i + 1 : 0) + "}"));
        }

        for (int i = 0; i < EXECUTIONS; i++) {
            String execution = executions.get(i);
            ExecutionStatus status = driver.awaitEnd(execution);
            if (i % 2 == 0) {
                assertThat(status).as("o-" + i).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(driver.output(execution)).isEqualTo("{\"orderId\":\"o-" + i + "\",\"reserved\":" + (i + 1) + "}");
            } else {
                assertThat(status).as("o-" + i).isEqualTo(ExecutionStatus.FAILED);
                ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
                assertThat(failure.error()).isEqualTo("java.lang.IllegalStateException");
                assertThat(failure.cause()).contains("nothing to reserve");
            }
        }
    }

    @Test
    void aTaskOutlivesItsHeartbeatSecondsOnlyWithHeartbeatPeriod() throws Exception {
        String kept = run("kept", "&heartbeatPeriod=500ms");
        String dropped = run("dropped", "");

        assertThat(driver.awaitEnd(kept)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(driver.awaitEnd(dropped)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(driver.history(dropped)).extracting(event -> event.type())
                .contains(HistoryEventType.ACTIVITY_TIMED_OUT);
    }

    /** One execution whose task (HeartbeatSeconds=2) takes 5 s in a route with these consumer options. */
    private String run(String name, String options) throws Exception {
        String unique = name + "-" + System.nanoTime();
        String activity = driver.createActivity(unique);
        String stateMachine = driver.createStateMachine(unique, activity, target.roleArn(), 2);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + activity + "?workerName=" + name + options)
                        .delay(5_000)
                        .setBody(constant("{\"done\":true}"));
            }
        });
        if (!camel.isStarted()) {
            camel.start();
        }
        return driver.startExecution(stateMachine, "{}");
    }
}
