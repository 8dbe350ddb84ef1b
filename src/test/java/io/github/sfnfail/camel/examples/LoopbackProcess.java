package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the tests start as a process of its own (the Step Functions emulator, moto) on a loopback port: started
 * with its output in a log file, waited for until it listens, stopped with everything it started.
 */
final class LoopbackProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private LoopbackProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @throws IOException when the command cannot be run at all (not installed)
     */
    static LoopbackProcess start(String name, List<String> command, int port, Path log, Duration startTimeout)
            throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoopbackProcess server = new LoopbackProcess(name, process, port, log);
        server.awaitListening(startTimeout);
        return server;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                                                + " before listening on port " + port + ":\n" + tail(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException notYet) {
                sleep(100);
                continue;
            }
            // whatever listens there is ours only if ours still runs: another process may have taken the free port first
            sleep(200);
            if (process.isAlive()) {
                return;
            }
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while something "
                                            + "else listened on port " + port + " (taken before it could bind):\n" + tail(log));
        }
        close();
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + timeout.toSeconds()
                                        + " s:\n" + tail(log));
    }

    /** The last lines of a log, for a message that says why. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
