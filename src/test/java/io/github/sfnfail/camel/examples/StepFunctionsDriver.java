package io.github.sfnfail.camel.examples;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.CreateActivityRequest;
import software.amazon.awssdk.services.sfn.model.CreateActivityResponse;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DeleteActivityRequest;
import software.amazon.awssdk.services.sfn.model.DeleteStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The state machine side of the examples and tests, played through Camel's own aws2-step-functions component (with
 * SDK request objects as bodies): what Step Functions and its console do in production.
 */
public final class StepFunctionsDriver implements AutoCloseable {

    private final ProducerTemplate template;
    private final CamelContext ownContext;

    /** Drives Step Functions through the aws2-step-functions component of the given context. */
    public StepFunctionsDriver(CamelContext context) {
        this(context, null);
    }

    private StepFunctionsDriver(CamelContext context, CamelContext ownContext) {
        this.template = context.createProducerTemplate();
        this.ownContext = ownContext;
    }

    /** Drives Step Functions of the target through a Camel context of its own, closed with the driver. */
    public static StepFunctionsDriver connect(ExampleTarget target) {
        CamelContext context = new DefaultCamelContext();
        target.configure(context, "aws2-step-functions");
        context.start();
        return new StepFunctionsDriver(context, context);
    }

    @Override
    public void close() {
        if (ownContext != null) {
            ownContext.stop();
        }
    }

    public String createActivity(String name) {
        return call("createActivity", CreateActivityRequest.builder().name(name).build(), CreateActivityResponse.class)
                .activityArn();
    }

    /**
     * A state machine of one Task state run by the activity, with no Catch: a failed task fails the execution.
     */
    public String createStateMachine(String name, String activityArn, String roleArn) {
        return createStateMachine(name, activityArn, roleArn, 0);
    }

    /**
     * A state machine of one Task state run by the activity, with no Catch, whose task times out (States.Timeout)
     * when no heartbeat comes for heartbeatSeconds (0 for no such limit).
     */
    public String createStateMachine(String name, String activityArn, String roleArn, int heartbeatSeconds) {
        String heartbeat = heartbeatSeconds > 0 ? ", \"HeartbeatSeconds\": " + heartbeatSeconds : "";
        String definition = """
                {"Comment": "aws-sfn callback example: one activity task",
                 "StartAt": "ReserveStock",
                 "States": {"ReserveStock": {"Type": "Task", "Resource": "%s", "TimeoutSeconds": 300%s, "End": true}}}
                """.formatted(activityArn, heartbeat);
        return createStateMachineFrom(name, definition, roleArn);
    }

    /** A state machine of the given Amazon States Language definition. */
    public String createStateMachineFrom(String name, String definition, String roleArn) {
        return call("createStateMachine", CreateStateMachineRequest.builder()
                .name(name).definition(definition).roleArn(roleArn).build(), CreateStateMachineResponse.class)
                .stateMachineArn();
    }

    public String startExecution(String stateMachineArn, String inputJson) {
        return call("startExecution", StartExecutionRequest.builder()
                .stateMachineArn(stateMachineArn).name("exec-" + UUID.randomUUID()).input(inputJson).build(),
                StartExecutionResponse.class).executionArn();
    }

    /** The next task of the activity, if any (on AWS this long-polls up to 60 s). */
    public Optional<GetActivityTaskResponse> getActivityTask(String activityArn) {
        GetActivityTaskResponse task = call("getActivityTask",
                GetActivityTaskRequest.builder().activityArn(activityArn).workerName("sfn-fail-driver").build(),
                GetActivityTaskResponse.class);
        return Optional.ofNullable(task.taskToken()).map(token -> task);
    }

    /**
     * How long the tests wait for the emulator by default: it only bounds how long a failing test takes to say so, so
     * it is generous; the emulator answers within a second or two, even on a loaded machine.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    /** {@link #awaitTask(String, Duration)} with the default patience. */
    public GetActivityTaskResponse awaitTask(String activityArn) {
        return awaitTask(activityArn, PATIENCE);
    }

    /** {@link #awaitEnd(String, Duration)} with the default patience. */
    public ExecutionStatus awaitEnd(String executionArn) {
        return awaitEnd(executionArn, PATIENCE);
    }

    /** Waits for the next task of the activity (it shows shortly after the execution starts). */
    public GetActivityTaskResponse awaitTask(String activityArn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<GetActivityTaskResponse> task = getActivityTask(activityArn);
            if (task.isPresent()) {
                return task.get();
            }
            pause(20);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("No task of " + activityArn + " within " + timeout);
    }

    public ExecutionStatus status(String executionArn) {
        return describe(executionArn).status();
    }

    /** Waits until the execution leaves RUNNING (the emulator marks it FAILED about a second after the report). */
    public ExecutionStatus awaitEnd(String executionArn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutionStatus status = status(executionArn);
        while (status == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
            pause(200);
            status = status(executionArn);
        }
        return status;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The output a SUCCEEDED execution ended with (the output the worker sent), else null. */
    public String output(String executionArn) {
        return describe(executionArn).output();
    }

    /** The error a FAILED execution ended with, as DescribeExecution tells it (moto does; the emulator does not). */
    public String error(String executionArn) {
        return describe(executionArn).error();
    }

    private DescribeExecutionResponse describe(String executionArn) {
        return call("describeExecution", DescribeExecutionRequest.builder().executionArn(executionArn).build(),
                DescribeExecutionResponse.class);
    }

    public List<HistoryEvent> history(String executionArn) {
        return call("getExecutionHistory", GetExecutionHistoryRequest.builder().executionArn(executionArn).build(),
                GetExecutionHistoryResponse.class).events();
    }

    /**
     * The error and cause the worker sent, as Step Functions recorded them. (The emulator leaves them out of
     * DescribeExecution and swaps them in ExecutionFailed; ActivityFailed holds them as sent.)
     */
    public Optional<ActivityFailedEventDetails> activityFailure(String executionArn) {
        return history(executionArn).stream()
                .filter(e -> e.type() == HistoryEventType.ACTIVITY_FAILED)
                .map(HistoryEvent::activityFailedEventDetails)
                .findFirst();
    }

    public void deleteStateMachine(String stateMachineArn) {
        call("deleteStateMachine", DeleteStateMachineRequest.builder().stateMachineArn(stateMachineArn).build(),
                Object.class);
    }

    public void deleteActivity(String activityArn) {
        call("deleteActivity", DeleteActivityRequest.builder().activityArn(activityArn).build(), Object.class);
    }

    private <T> T call(String operation, Object request, Class<T> responseType) {
        return template.requestBody("aws2-step-functions:driver?pojoRequest=true&operation=" + operation, request,
                responseType);
    }
}
