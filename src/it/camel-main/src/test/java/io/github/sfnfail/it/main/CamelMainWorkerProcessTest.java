package io.github.sfnfail.it.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.it.SfnStub;
import org.junit.jupiter.api.Test;

/**
 * The project as a user runs it, camel-main's own Main in a JVM of its own: it logs through the binding it lists
 * (Log4j 2, no "No SLF4J providers" warning), works for its activity, answers its health checks at
 * /observe/health, and stops on SIGTERM.
 */
class CamelMainWorkerProcessTest {

    @Test
    void theWorkerLogsThroughLog4jAnswersItsTaskServesItsHealthChecksAndStopsOnSigterm() throws Exception {
        try (SfnStub stub = new SfnStub()) {
            int port = freePort();
            Path log = Path.of("target", "worker.log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dsfn.endpoint=" + stub.url(), "-Dcamel.management.port=" + port,
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "org.apache.camel.main.Main");
            Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitLine(log, worker, ") started in ");
                stub.awaitActivityTaskAnswered(30_000);

                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"status\": \"UP\"") || health.body().contains("\"status\":\"UP\""),
                        "the health checks UP:\n" + health.body());
                assertTrue(health.body().contains("{\"name\":\"consumer:activity-worker\",\"status\":\"UP\"}"),
                        "the activity consumer's check:\n" + health.body());
            } finally {
                worker.destroy();
                assertTrue(worker.waitFor(90, TimeUnit.SECONDS), "the worker stops on SIGTERM:\n" + read(log));
            }
            String lines = read(log);
            assertFalse(lines.contains("No SLF4J providers"), lines);
            assertTrue(lines.contains("INFO  [main] SfnActivityConsumer - Working for activity "
                                      + SfnStub.ACTIVITY_ARN + " as "), "the consumer's start line:\n" + lines);
            assertTrue(lines.contains("AbstractCamelContext - Apache Camel " + System.getProperty("expected.camel.version")
                                      + " (sfn-fail-consumer) started in "), "Camel's start line:\n" + lines);
            assertTrue(lines.contains("(sfn-fail-consumer) shutdown in "), "Camel's stop line:\n" + lines);
            // the server binds camel.management.host; Camel's summary of the endpoints prints 0.0.0.0 whatever it is
            assertTrue(lines.contains("Vert.x HttpServer started on 127.0.0.1:" + port),
                    "the health checks on loopback only (camel.management.host):\n" + lines);
        }
    }

    private static void awaitLine(Path log, Process worker, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!read(log).contains(line)) {
            if (!worker.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("No line with '" + line + "':\n" + read(log));
            }
            Thread.sleep(200);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
