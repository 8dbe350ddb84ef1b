package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker running routes/sqs-callback-worker.yaml in a JVM of its own is killed with SIGKILL in the middle of a burst
 * and started again: every execution still ends FAILED with the route's error, none is left RUNNING. What carries the
 * reports over the crash: a message is deleted from SQS only when its exchange completed, so what the dead worker held
 * comes back after the visibility timeout, and a task it had already failed answers TaskTimedOut, which
 * ignoreClosedTask=true turns into a no-op.
 */
class WorkerCrashIT {

    private static final int TASKS = 300;
    private static final int VISIBILITY_TIMEOUT_SECONDS = 3;
    private static final Pattern REPORTED = Pattern.compile("Reported task failure");

    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void killWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    @Test
    void workerKilledMidBurstLeavesNoExecutionRunning() throws Exception {
        try (LocalSqs sqs = LocalSqs.start();
             StrictSfnProxy sfn = new StrictSfnProxy(StepFunctionsLocal.shared().endpoint())) {
            ExampleTarget emulator = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), sqs.endpoint());
            StepFunctionsDriver driver = StepFunctionsDriver.connect(emulator);
            String name = "crash-" + System.nanoTime();
            String activityArn = driver.createActivity(name);
            String stateMachineArn = driver.createStateMachine(name, activityArn, emulator.roleArn());
            List<String> executions = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                executions.add(driver.startExecution(stateMachineArn, "{}"));
                tokens.add(driver.awaitTask(activityArn).taskToken());
            }
            queueTasks(sqs.endpoint(), name, tokens);

            // the worker's reports go through the strict proxy, its SQS calls to the local SQS
            Properties properties = ExampleTarget.local(sfn.url(), sqs.endpoint()).properties();
            properties.setProperty("sqs.queue", name);
            Path settings = Path.of("target", name + ".properties");
            try (Writer writer = Files.newBufferedWriter(settings)) {
                properties.store(writer, "worker of " + getClass().getSimpleName());
            }

            Path firstLog = Path.of("target", name + "-first.log");
            Process first = startWorker(settings, firstLog);
            long reportedBeforeKill = awaitReported(firstLog, TASKS / 5);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            assertThat(reportedBeforeKill).as("reports before the kill: some, not all").isBetween(1L, TASKS - 1L);

            startWorker(settings, Path.of("target", name + "-second.log"));

            for (String execution : executions) {
                assertThat(driver.awaitEnd(execution)).as(execution).isEqualTo(ExecutionStatus.FAILED);
                assertThat(driver.activityFailure(execution).orElseThrow().error())
                        .isEqualTo("java.lang.IllegalArgumentException");
            }
            Map<String, Integer> landed = sfn.landed();
            assertThat(landed).as("tasks reported").hasSize(TASKS);
            assertThat(landed.values()).as("reports landed per task").containsOnly(1);
            System.out.printf("Killed after %d reports; %d duplicate reports answered TaskTimedOut and absorbed%n",
                    reportedBeforeKill, sfn.duplicatesRefused());
            driver.close();
        }
    }

    private static void queueTasks(String sqsEndpoint, String queue, List<String> tokens) {
        try (SqsClient sqs = SqsClient.builder().region(Region.of(StepFunctionsLocal.REGION))
                .endpointOverride(URI.create(sqsEndpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String url = sqs.createQueue(create -> create.queueName(queue).attributes(
                    Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(VISIBILITY_TIMEOUT_SECONDS))))
                    .queueUrl();
            for (int i = 0; i < tokens.size(); i += 10) {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (int j = i; j < Math.min(i + 10, tokens.size()); j++) {
                    batch.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(
                            "{\"taskToken\":\"" + tokens.get(j) + "\",\"order\":{\"orderId\":\"o-" + j
                                                                            + "\",\"sku\":\"SKU-1\",\"quantity\":0}}")
                            .build());
                }
                sqs.sendMessageBatch(send -> send.queueUrl(url).entries(batch));
            }
        }
    }

    private Process startWorker(Path settings, Path log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=src/test/resources/logback-examples.xml",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ExampleWorker.class.getName(), settings.toString(), "sqs-callback-worker.yaml", "reserve-stock.yaml");
        Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        workers.add(worker);
        return worker;
    }

    /** Waits until the worker logged at least this many reports, and says how many it had. */
    private static long awaitReported(Path log, int atLeast) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + StepFunctionsDriver.PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            long reported = countReported(log);
            if (reported >= atLeast) {
                return reported;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The worker reported " + countReported(log) + " failures, fewer than " + atLeast
                                        + ", within " + StepFunctionsDriver.PATIENCE + ": see " + log);
    }

    private static long countReported(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        Matcher matcher = REPORTED.matcher(Files.readString(log));
        long count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
