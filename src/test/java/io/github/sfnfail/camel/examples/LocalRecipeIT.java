package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sfnfail.maven.NestedMaven;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/local-recipe.md, "Run a worker on your machine, step by step", as a person runs it: every shell block between
 * its markers, in order, unchanged but for the ports (free ones for 8083 and 5000, so builds side by side do not
 * collide), Maven given this build's settings, local repository and {@code -o} ({@link NestedMaven}: the build resolved
 * everything) and the worker told those ports. Blocks marked "leave it running" run in the background; the
 * executions must end SUCCEEDED, FAILED and SUCCEEDED, and the history must show the error and cause the failed one
 * got.
 */
class LocalRecipeIT {

    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);
    private static final String LEAVE_RUNNING = "(leave it running)";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    private static final Path RECIPE = Path.of("docs", "local-recipe.md");

    private final Path work = Path.of("target", "local-recipe");
    private final List<Process> running = new ArrayList<>();

    @AfterEach
    void stopWhatRuns() {
        for (Process process : running) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    @Test
    void theRecipesStepsEndSucceededFailedAndSucceededAndShowTheFailuresErrorAndCause() throws Exception {
        Files.createDirectories(work);
        int emulatorPort = FreePort.pick();
        int motoPort = FreePort.pick();
        String exports = "";
        String results = null;
        String history = null;
        int step = 0;
        for (String block : recipeBlocks()) {
            step++;
            String script = block.replace("8083", String.valueOf(emulatorPort)).replace("5000", String.valueOf(motoPort))
                    .replace("mvn -B -q exec:java@local-worker", "mvn -B -q exec:java@local-worker"
                             + " -Dsfn.endpoint=http://127.0.0.1:" + motoPort
                             + " -Dsqs.endpoint=http://127.0.0.1:" + motoPort
                             + " -Dactivity.endpoint=http://127.0.0.1:" + emulatorPort)
                    // this build's settings, local repository and -o (it resolved everything the worker needs)
                    .replace("mvn -B -q", "mvn " + NestedMaven.shellWords(NestedMaven.options()) + " -B -q");
            Path log = work.resolve("step-" + step + ".log");
            if (block.lines().anyMatch(line -> line.startsWith("#") && line.contains(LEAVE_RUNNING))) {
                if (script.contains("npx ")) {
                    // one npx install at a time on this machine: builds side by side share its cache
                    try (RandomAccessFile lockFile = new RandomAccessFile(Path.of(System.getProperty("java.io.tmpdir"),
                            "sfn-local-recipe-npx.lock").toFile(), "rw"); FileLock lock = lockFile.getChannel().lock()) {
                        startAndAwait(script, log, () -> listens(emulatorPort));
                    }
                } else if (script.contains("moto_server.py")) {
                    startAndAwait(script, log, () -> listens(motoPort));
                } else {
                    startAndAwait(script, log, () -> read(log).contains("Routes startup"));
                }
            } else if (script.contains("describe-execution")) {
                long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
                do {
                    results = run(exports + script, log);
                } while (results.contains("RUNNING") && System.nanoTime() < deadline && pause());
            } else if (script.contains("get-execution-history")) {
                history = run(exports + script, log);
            } else {
                run(exports + script, log);
                exports += script.lines().filter(line -> line.startsWith("export ")).map(line -> line + "\n")
                        .reduce("", String::concat);
            }
        }

        assertThat(results).as("the executions' statuses").isNotNull();
        List<String> statuses = new ArrayList<>();
        Matcher status = Pattern.compile("\"(SUCCEEDED|FAILED|RUNNING|ABORTED|TIMED_OUT)\"").matcher(results);
        while (status.find()) {
            statuses.add(status.group(1));
        }
        assertThat(statuses).containsExactly("SUCCEEDED", "FAILED", "SUCCEEDED");
        assertThat(results).contains("{\\\"orderId\\\":\\\"A-1\\\",\\\"reserved\\\":2}")
                .contains("\\\"orderId\\\": \\\"S-1\\\"");
        assertThat(history).as("the failed execution's ActivityFailed event").contains("\"error\": \"OrderRejected\"")
                .contains("\"cause\": \"Order A-2 asks for 0 of book: nothing to reserve\"");
    }

    /** The shell blocks of the recipe, in order. */
    private static List<String> recipeBlocks() throws IOException {
        String page = Files.readString(RECIPE, StandardCharsets.UTF_8);
        String recipe = page.substring(page.indexOf("<!-- local recipe: START -->"),
                page.indexOf("<!-- local recipe: END -->"));
        List<String> blocks = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(recipe);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertThat(blocks).as("the recipe's shell blocks").hasSizeGreaterThanOrEqualTo(7);
        return blocks;
    }

    private void startAndAwait(String script, Path log, Ready ready) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        running.add(process);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!ready.now()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Not ready (exit " + (process.isAlive() ? "none" : process.exitValue())
                                         + "):\n" + script + "\n" + LoopbackProcess.tail(log));
            }
            Thread.sleep(200);
        }
    }

    /** Runs a block to its end; it must succeed. Returns what it printed. */
    private static String run(String script, Path log) throws Exception {
        Process process = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly();
            throw new AssertionError("Still running after " + STEP_TIMEOUT + ":\n" + script);
        }
        String output = read(log);
        assertThat(process.exitValue()).as(script + "\n" + output).isZero();
        return output;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(1000);
        return true;
    }

    @FunctionalInterface
    private interface Ready {
        boolean now();
    }
}
