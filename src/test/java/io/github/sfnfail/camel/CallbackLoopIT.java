package io.github.sfnfail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.examples.ExampleTarget;
import io.github.sfnfail.camel.examples.StepFunctionsDriver;
import io.github.sfnfail.camel.examples.StepFunctionsLocal;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole callback loop against the stepfunctions-local emulator: real activities, state machines, executions and
 * tokens; failures reported through aws-sfn-fail; the execution history checked.
 */
class CallbackLoopIT {

    private static final StepFunctionsLocal EMULATOR = StepFunctionsLocal.shared();

    private CamelContext context;
    private StepFunctionsDriver driver;
    private String activityArn;
    private String stateMachineArn;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        ExampleTarget.local(EMULATOR.endpoint(), null).configure(context, "aws-sfn-fail", "aws2-step-functions");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:loop");
            }
        });
        context.start();
        driver = new StepFunctionsDriver(context);
        String name = "loop-" + System.nanoTime();
        activityArn = driver.createActivity(name);
        stateMachineArn = driver.createStateMachine(name, activityArn, "arn:aws:iam::123456789012:role/local");
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    @Test
    void failureReportedWithHeadersEndsTheExecutionFailedWithThatErrorAndCause() {
        String execution = driver.startExecution(stateMachineArn, "{\"orderId\":\"o-1\"}");
        GetActivityTaskResponse task = nextTask();
        assertThat(task.input()).contains("o-1");

        Exchange result = context.createProducerTemplate().request("direct:fail", e -> e.getMessage().setHeaders(Map.of(
                SfnConstants.TASK_TOKEN, task.taskToken(),
                SfnConstants.ERROR, "PaymentDeclined",
                SfnConstants.CAUSE, "card ending 4242 expired")));

        assertThat(result.getException()).isNull();
        assertFailedWith(execution, "PaymentDeclined", "card ending 4242 expired");
    }

    @Test
    void failureReportedWithUriOptionsEndsTheExecutionFailed() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = nextTask().taskToken();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:uri").to("aws-sfn-fail:uri?taskToken=RAW(" + token + ")&error=FromUri&cause=set in the URI");
            }
        });

        Exchange result = context.createProducerTemplate().request("direct:uri", e -> {
        });

        assertThat(result.getException()).isNull();
        assertFailedWith(execution, "FromUri", "set in the URI");
    }

    @Test
    void twoHundredFiftyExecutionsFailedConcurrentlyAllEndFailedWithTheirOwnError() {
        int executions = 250;
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < executions; i++) {
            arns.add(driver.startExecution(stateMachineArn, "{\"n\":" + i + "}"));
        }
        List<CompletableFuture<Exchange>> reports = new ArrayList<>();
        for (int i = 0; i < executions; i++) {
            GetActivityTaskResponse task = nextTask();
            String n = task.input().replaceAll("\\D", "");
            reports.add(context.createProducerTemplate().asyncSend("direct:fail", e -> e.getMessage().setHeaders(Map.of(
                    SfnConstants.TASK_TOKEN, task.taskToken(),
                    SfnConstants.ERROR, "Failed" + n,
                    SfnConstants.CAUSE, "input " + n))));
        }

        assertThat(reports).allSatisfy(r -> assertThat(r.join().getException()).isNull());
        for (int i = 0; i < executions; i++) {
            assertFailedWith(arns.get(i), "Failed" + i, "input " + i);
        }
    }

    @Test
    void unknownTokenReachesTheRouteAsTaskDoesNotExistAndChangesNoExecution() {
        String execution = driver.startExecution(stateMachineArn, "{}");

        Exchange result = context.createProducerTemplate().request("direct:fail",
                e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, "00000000-0000-0000-0000-000000000000"));

        assertThat(result.getException()).isInstanceOf(TaskDoesNotExistException.class)
                .hasMessageContaining("region and account");
        assertThat(driver.status(execution)).isEqualTo(ExecutionStatus.RUNNING);
    }

    private GetActivityTaskResponse nextTask() {
        return driver.awaitTask(activityArn);
    }

    private void assertFailedWith(String execution, String error, String cause) {
        assertThat(driver.awaitEnd(execution)).as(execution).isEqualTo(ExecutionStatus.FAILED);
        ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
        assertThat(failure.error()).isEqualTo(error);
        assertThat(failure.cause()).isEqualTo(cause);
    }
}
