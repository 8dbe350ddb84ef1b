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

import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The main job of the README: runs every example route of {@code routes/} end to end and prints what Step Functions
 * recorded. Locally (the default) it starts the Step Functions emulator and an in-process SQS itself; with
 * {@code SFN_EXAMPLES_TARGET=aws} it uses real AWS (AWS_REGION, credentials from the SDK's default chain, and
 * SFN_EXAMPLES_ROLE_ARN, a role states.amazonaws.com may assume) and deletes what it created afterwards.
 */
public final class ExampleJob {

    private static final Duration END_TIMEOUT = Duration.ofSeconds(90);

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
     * @return how many of the example executions did not end FAILED with the expected error
     */
    public int run() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        out.println("aws-sfn-fail examples against " + (target.isLocal()
                ? "the local emulator " + target.sfnEndpoint() + " and SQS " + target.sqsEndpoint()
                : "AWS " + target.region()));
        List<Runnable> cleanup = new ArrayList<>();
        try (StepFunctionsDriver driver = StepFunctionsDriver.connect(target)) {
            Flow worker = Flow.create(driver, "sfn-fail-worker-" + suffix, target, cleanup);
            Flow sqs = Flow.create(driver, "sfn-fail-sqs-" + suffix, target, cleanup);
            Flow http = Flow.create(driver, "sfn-fail-http-" + suffix, target, cleanup);
            int port = FreePort.pick();
            Properties properties = target.properties();
            properties.setProperty("worker.activity-arn", worker.activityArn);
            properties.setProperty("sqs.queue", "sfn-fail-tasks-" + suffix);
            properties.setProperty("http.port", String.valueOf(port));

            try (ExampleApplication app = ExampleApplication.start(properties)) {
                String order = "{\"orderId\":\"o-%s\",\"sku\":\"SKU-%s\",\"quantity\":0}";
                // 1. activity worker: the route polls the activity itself
                String workerExecution = driver.startExecution(worker.stateMachineArn, order.formatted(1, 1));

                // 2. .waitForTaskToken over SQS: this job plays the state machine's SQS integration
                String sqsExecution = driver.startExecution(sqs.stateMachineArn, "{}");
                GetActivityTaskResponse sqsTask = sqs.nextTask(driver);
                app.context().createProducerTemplate().sendBody("aws2-sqs:" + properties.getProperty("sqs.queue"),
                        "{\"taskToken\":\"" + sqsTask.taskToken() + "\",\"order\":" + order.formatted(2, 2) + "}");

                // 3. a reviewer rejects the task over HTTP
                String httpExecution = driver.startExecution(http.stateMachineArn, "{}");
                GetActivityTaskResponse httpTask = http.nextTask(driver);
                int status = post(URI.create("http://127.0.0.1:" + port + "/tasks/failure"), "{\"taskToken\":\""
                        + httpTask.taskToken() + "\",\"error\":\"RejectedByReviewer\","
                        + "\"cause\":\"Invoice total does not match the PO\"}");
                out.println("POST /tasks/failure answered " + status);

                int failures = 0;
                failures += report(driver, "activity worker", workerExecution, "OrderRejected");
                failures += report(driver, ".waitForTaskToken over SQS", sqsExecution, "java.lang.IllegalArgumentException");
                failures += report(driver, "rejection over HTTP", httpExecution, "RejectedByReviewer");
                out.println(failures == 0 ? "All 3 executions FAILED as reported." : failures + " execution(s) not as expected.");
                return failures;
            } finally {
                if (!target.isLocal()) {
                    cleanup.forEach(Runnable::run);
                }
            }
        }
    }

    private int report(StepFunctionsDriver driver, String title, String execution, String expectedError) {
        ExecutionStatus status = driver.awaitEnd(execution, END_TIMEOUT);
        out.println();
        out.println("== " + title + ": " + execution);
        out.println("   status " + status);
        for (HistoryEvent event : driver.history(execution)) {
            out.println("   " + event.id() + " " + event.typeAsString()
                        + (event.activityFailedEventDetails() == null ? "" : describe(event.activityFailedEventDetails())));
        }
        ActivityFailedEventDetails failure = driver.activityFailure(execution).orElse(null);
        boolean expected = status == ExecutionStatus.FAILED && failure != null && expectedError.equals(failure.error());
        if (!expected) {
            out.println("   expected FAILED with error " + expectedError);
        }
        return expected ? 0 : 1;
    }

    private static String describe(ActivityFailedEventDetails failure) {
        String cause = failure.cause() == null ? "" : failure.cause();
        return "  error=" + failure.error() + "  cause=" + (cause.length() > 160 ? cause.substring(0, 160) + "…" : cause);
    }

    private static int post(URI uri, String json) {
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

        static Flow create(StepFunctionsDriver driver, String name, ExampleTarget target, List<Runnable> cleanup) {
            String activityArn = driver.createActivity(name);
            cleanup.add(() -> driver.deleteActivity(activityArn));
            String stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn());
            cleanup.add(0, () -> driver.deleteStateMachine(stateMachineArn));
            return new Flow(activityArn, stateMachineArn);
        }

        GetActivityTaskResponse nextTask(StepFunctionsDriver driver) {
            return driver.awaitTask(activityArn, END_TIMEOUT);
        }
    }
}
