package io.github.sfnfail.it.jbang;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.it.SfnStub;
import org.junit.jupiter.api.Test;

/**
 * The command the docs give for Camel JBang, run in the repository as a user runs it there: the activity worker of
 * routes/ with routes/jbang.properties, the stand-in for Step Functions in place of the emulator. The stand-in's task
 * names no quantity, so the route rejects the order and the consumer fails the task as OrderRejected.
 */
class CamelJBangRoutesFolderTest {

    @Test
    void camelRunOnTheRoutesFolderWorksForTheActivityAndFailsARejectedOrderAsOrderRejected() throws Exception {
        Path repository = Path.of(System.getProperty("repository.root"));
        try (SfnStub stub = new SfnStub()) {
            Path output = Path.of("target", "camel-run-routes.log").toAbsolutePath();
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    Camel.class.getName(),
                    // as the docs write it
                    "run", "routes/activity-worker.yaml", "routes/reserve-stock.yaml", "routes/jbang.properties",
                    "--dep=io.github.sfnfail:camel-aws-sfn-fail:" + System.getProperty("component.version"),
                    // the stand-in instead of stepfunctions-local on 8083
                    "--prop=activity.endpoint=" + stub.url(), "--max-seconds=150");
            Process camel = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 150_000;
                while (!failedAsOrderRejected(stub) && camel.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
            } finally {
                camel.destroy();
                if (!camel.waitFor(60, TimeUnit.SECONDS)) {
                    camel.destroyForcibly();
                }
            }
            String log = Files.readString(output);
            assertTrue(failedAsOrderRejected(stub), "a SendTaskFailure with OrderRejected for the task:\n"
                                                    + stub.requests() + "\n" + log);
            assertTrue(log.contains("Working for activity arn:aws:states:local:0123456789:activity:reserve-stock"),
                    "the consumer's start line:\n" + log);
            assertTrue(log.contains("the consumer fails the task as OrderRejected"), "the route's log line:\n" + log);
        }
    }

    private static boolean failedAsOrderRejected(SfnStub stub) {
        return stub.requests().stream().anyMatch(request -> request.target().equals("AWSStepFunctions.SendTaskFailure")
                && request.body().contains("\"error\":\"OrderRejected\""));
    }
}
