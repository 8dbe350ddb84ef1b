package io.github.sfnfail.it.jbang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.sfnfail.it.SfnStub;
import org.junit.jupiter.api.Test;

class CamelJBangConsumerTest {

    @Test
    void camelRunWithTheComponentAsDependencyHeartbeatsSucceedsFailsAndWorksForAnActivity() throws Exception {
        try (SfnStub stub = new SfnStub()) {
            Path output = Path.of("target", "camel-run.log");
            // what a user types, `camel run ...`, through what the launcher script runs
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    Camel.class.getName(),
                    "run", "routes/task-callback.yaml", "routes/application.properties",
                    "--dep=io.github.sfnfail:camel-aws-sfn-fail:" + System.getProperty("component.version"),
                    "--prop=sfn.endpoint=" + stub.url(),
                    "--prop=task.token=" + SfnStub.TOKEN,
                    "--max-messages=2", "--max-seconds=120");
            Process camel = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            boolean ended = camel.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                camel.destroyForcibly();
            }
            String log = Files.readString(output);
            assertTrue(ended, "camel run did not end:\n" + log);
            assertEquals(0, camel.exitValue(), "camel run failed:\n" + log);
            // request ids count the activity consumer's polls too: only their shape is known
            assertTrue(Pattern.compile("Heartbeat: request id stub-request-\\d+, body " + SfnStub.WORK).matcher(log).find(),
                    "the route's log line after the heartbeat:\n" + log);
            assertTrue(Pattern.compile("Succeeded: request id stub-request-\\d+, body "
                                       + "software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse").matcher(log)
                               .find(), "the route's log line after the success report:\n" + log);
            assertTrue(Pattern.compile("Reported: request id stub-request-\\d+, body "
                                       + "software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse").matcher(log)
                               .find(), "the route's log line after the failure report:\n" + log);
            stub.assertAllThreeAnswersOnTheWire("OrderRejected");
            assertTrue(log.contains("Worked on an activity task"), "the activity route's log line:\n" + log);
            stub.awaitActivityTaskAnswered(0);
            stub.assertSharedOptionsAndTheFailureReportsOwnKey();
        }
    }
}
