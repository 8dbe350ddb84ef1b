package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The main job of the README: runs every example route of {@code routes/} end to end, with good and bad orders, and
 * prints what Step Functions recorded; it exits 0 only when every execution ended as its route answered (SUCCEEDED
 * with the route's output, or FAILED with its error). Locally (the default) it starts the Step Functions emulator and an in-process SQS itself; with
 * {@code SFN_EXAMPLES_TARGET=aws} it uses real AWS (AWS_REGION, credentials from the SDK's default chain, and
 * SFN_EXAMPLES_ROLE_ARN, a role states.amazonaws.com may assume) and deletes what it created afterwards.
 */
public final class ExampleJob {

    private static final Duration END_TIMEOUT = Duration.ofSeconds(90);
    private static final int RENDER_HEARTBEAT_SECONDS = 2;
    private static final int RENDER_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExampleTarget target;
    private final PrintStream out;

    public ExampleJob(ExampleTarget target, PrintStream out) {
        this.target = target;
        this.out = out;
    }

    public static void main(String[] args) {
        boolean aws = "aws".equalsIgnoreCase(System.getenv("SFN_EXAMPLES_TARGET"));
        int failures;
        if (aws) {
            failures = new ExampleJob(awsTarget(), System.out).run();
        } else {
            try (StepFunctionsLocal emulator = StepFunctionsLocal.start(); LocalSqs sqs = LocalSqs.start()) {
                failures = new ExampleJob(ExampleTarget.local(emulator.endpoint(), sqs.endpoint()), System.out).run();
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static ExampleTarget awsTarget() {
        String region = System.getenv("AWS_REGION");
        String role = System.getenv("SFN_EXAMPLES_ROLE_ARN");
        if (region == null || role == null) {
            throw new IllegalArgumentException("SFN_EXAMPLES_TARGET=aws needs AWS_REGION and SFN_EXAMPLES_ROLE_ARN (a "
                                               + "role that states.amazonaws.com may assume; activity tasks need no "
                                               + "permission of their own)");
        }
        return new ExampleTarget(region, null, null, null, null, role);
    }

    /**
     * @return how many of the example executions did not end as their route answered
     */
    public int run() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        out.println("aws-sfn-fail / aws-sfn-success / aws-sfn-heartbeat examples against " + (target.isLocal()
                ? "the local emulator " + target.sfnEndpoint() + " and SQS " + target.sqsEndpoint()
                : "AWS " + target.region()));
        List<Runnable> cleanup = new ArrayList<>();
        try (StepFunctionsDriver driver = StepFunctionsDriver.connect(target)) {
            Flow worker = Flow.create(driver, "sfn-worker-" + suffix, target, 0, cleanup);
            Flow sqs = Flow.create(driver, "sfn-sqs-" + suffix, target, 0, cleanup);
            Flow http = Flow.create(driver, "sfn-http-" + suffix, target, 0, cleanup);
            Flow render = Flow.create(driver, "sfn-render-" + suffix, target, RENDER_HEARTBEAT_SECONDS, cleanup);
            int port = FreePort.pick();
            Properties properties = target.properties();
            properties.setProperty("worker.activity-arn", worker.activityArn);
            properties.setProperty("sqs.queue", "sfn-tasks-" + suffix);
            properties.setProperty("http.port", String.valueOf(port));
            properties.setProperty("render.activity-arn", render.activityArn);
            properties.setProperty("render.millis", String.valueOf(RENDER_MILLIS));
            properties.setProperty("render.heartbeat-period", "1s");

            try (ExampleApplication app = ExampleApplication.start(properties)) {
                String order = "{\"orderId\":\"o-%s\",\"sku\":\"SKU-%s\",\"quantity\":%s}";
                List<Expected> expected = new ArrayList<>();
                // 1. activity worker: the route polls the activity itself; a good order and a bad one
                expected.add(Expected.succeeded("activity worker, good order",
                        driver.startExecution(worker.stateMachineArn, order.formatted(1, 1, 2)),
                        "{\"orderId\":\"o-1\",\"reserved\":2}"));
                expected.add(Expected.failed("activity worker, bad order",
                        driver.startExecution(worker.stateMachineArn, order.formatted(2, 1, 0)), "OrderRejected"));

                // 2. .waitForTaskToken over SQS: this job plays the state machine's SQS integration
                for (int quantity : new int[] {3, 0}) {
                    String execution = driver.startExecution(sqs.stateMachineArn, "{}");
                    GetActivityTaskResponse task = sqs.nextTask(driver);
                    String orderJson = order.formatted(10 + quantity, 2, quantity);
                    app.context().createProducerTemplate().sendBody("aws2-sqs:" + properties.getProperty("sqs.queue"),
                            "{\"taskToken\":\"" + task.taskToken() + "\",\"order\":" + orderJson + "}");
                    expected.add(quantity > 0
                            ? Expected.succeeded(".waitForTaskToken over SQS, good order", execution, orderJson)
                            : Expected.failed(".waitForTaskToken over SQS, bad order", execution,
                                    "java.lang.IllegalArgumentException"));
                }

                // 3. a reviewer approves one task and rejects another over HTTP
                String approved = driver.startExecution(http.stateMachineArn, "{}");
                out.println("POST /tasks/success answered " + post(port, "success", "{\"taskToken\":\""
                        + http.nextTask(driver).taskToken() + "\",\"output\":{\"approvedBy\":\"ana\"}}"));
                expected.add(Expected.succeeded("approval over HTTP", approved, "{\"approvedBy\":\"ana\"}"));
                String rejected = driver.startExecution(http.stateMachineArn, "{}");
                out.println("POST /tasks/failure answered " + post(port, "failure", "{\"taskToken\":\""
                        + http.nextTask(driver).taskToken() + "\",\"error\":\"RejectedByReviewer\","
                        + "\"cause\":\"Invoice total does not match the PO\"}"));
                expected.add(Expected.failed("rejection over HTTP", rejected, "RejectedByReviewer"));

                // 4. a job longer than its task's HeartbeatSeconds, kept alive by aws-sfn-heartbeat's period
                expected.add(Expected.succeeded("long job (" + RENDER_MILLIS / 1000 + " s under HeartbeatSeconds="
                                                + RENDER_HEARTBEAT_SECONDS + ")",
                        driver.startExecution(render.stateMachineArn, "{\"video\":\"v-1\"}"), "{\"rendered\":true}"));

                int failures = 0;
                for (Expected execution : expected) {
                    failures += report(driver, execution);
                }
                long succeeded = expected.stream().filter(e -> e.output != null).count();
                out.println(failures == 0
                        ? "All " + expected.size() + " executions ended as their routes answered: " + succeeded
                          + " SUCCEEDED with the route's output, " + (expected.size() - succeeded)
                          + " FAILED with its error."
                        : failures + " execution(s) not as expected.");
                return failures;
            } finally {
                if (!target.isLocal()) {
                    cleanup.forEach(Runnable::run);
                }
            }
        }
    }

    /** How an example execution must end: SUCCEEDED with the output, or FAILED with the error. */
    private record Expected(String title, String execution, String output, String error) {
        static Expected succeeded(String title, String execution, String output) {
            return new Expected(title, execution, output, null);
        }

        static Expected failed(String title, String execution, String error) {
            return new Expected(title, execution, null, error);
        }
    }

    private int report(StepFunctionsDriver driver, Expected expected) {
        ExecutionStatus status = driver.awaitEnd(expected.execution, END_TIMEOUT);
        out.println();
        out.println("== " + expected.title + ": " + expected.execution);
        out.println("   status " + status);
        for (HistoryEvent event : driver.history(expected.execution)) {
            out.println("   " + event.id() + " " + event.typeAsString()
                        + (event.activityFailedEventDetails() == null ? "" : describe(event.activityFailedEventDetails()))
                        + (event.activitySucceededEventDetails() == null ? ""
                                : "  output=" + event.activitySucceededEventDetails().output()));
        }
        boolean asAnswered;
        if (expected.output != null) {
            String output = driver.output(expected.execution);
            asAnswered = status == ExecutionStatus.SUCCEEDED && sameJson(expected.output, output);
        } else {
            ActivityFailedEventDetails failure = driver.activityFailure(expected.execution).orElse(null);
            asAnswered = status == ExecutionStatus.FAILED && failure != null && expected.error.equals(failure.error());
        }
        if (!asAnswered) {
            out.println("   expected " + (expected.output != null ? "SUCCEEDED with output " + expected.output
                    : "FAILED with error " + expected.error));
        }
        return asAnswered ? 0 : 1;
    }

    private static boolean sameJson(String expected, String actual) {
        try {
            return actual != null && JSON.readTree(expected).equals(JSON.readTree(actual));
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(ActivityFailedEventDetails failure) {
        String cause = failure.cause() == null ? "" : failure.cause();
        return "  error=" + failure.error() + "  cause=" + (cause.length() > 160 ? cause.substring(0, 160) + "…" : cause);
    }

    private static int post(int port, String path, String json) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/tasks/" + path);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    /** An activity and a one-task state machine running it. */
    private record Flow(String activityArn, String stateMachineArn) {

        static Flow create(StepFunctionsDriver driver, String name, ExampleTarget target, int heartbeatSeconds,
                           List<Runnable> cleanup) {
            String activityArn = driver.createActivity(name);
            cleanup.add(() -> driver.deleteActivity(activityArn));
            String stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn(), heartbeatSeconds);
            cleanup.add(0, () -> driver.deleteStateMachine(stateMachineArn));
            return new Flow(activityArn, stateMachineArn);
        }

        GetActivityTaskResponse nextTask(StepFunctionsDriver driver) {
            return driver.awaitTask(activityArn, END_TIMEOUT);
        }
    }
}
