package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Step Functions emulator {@code stepfunctions-local} (npm), installed under {@code target/} and started on a free
 * loopback port by the build itself: nothing to install by hand but Node.js and npm.
 */
public final class StepFunctionsLocal implements AutoCloseable {

    public static final String VERSION = "1.3.1";
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsLocal.class);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static StepFunctionsLocal shared;

    private final LoopbackProcess server;

    private StepFunctionsLocal(LoopbackProcess server) {
        this.server = server;
    }

    /**
     * One emulator for the whole JVM, started on first use and stopped when the JVM exits: starting Node costs about a
     * second, and executions of different tests do not see each other (each test makes its own activities).
     */
    public static synchronized StepFunctionsLocal shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stepfunctions-local-stop"));
        }
        return shared;
    }

    public static StepFunctionsLocal start() {
        return start(installDirectory(), "node", "npm");
    }

    /** With the folder to install into and the Node.js and npm commands to use. */
    static StepFunctionsLocal start(Path home, String node, String npm) {
        Path script = install(home, node, npm);
        int port = FreePort.pick();
        Path log = home.resolve("emulator-" + port + ".log");
        LoopbackProcess server;
        try {
            server = LoopbackProcess.start("stepfunctions-local",
                    List.of(node, script.toString(), "start", "--port", String.valueOf(port), "--region", REGION),
                    port, log, START_TIMEOUT);
        } catch (IOException e) {
            throw nodeMissing(e);
        }
        LOG.info("stepfunctions-local {} listening on {} (pid {}, log {})", VERSION, server.endpoint(), server.pid(), log);
        return new StepFunctionsLocal(server);
    }

    public String endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private static Path installDirectory() {
        // surefire and exec:exec run with the project directory as basedir
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base, "target", "stepfunctions-local");
    }

    /** npm install, once; a file lock keeps concurrent JVMs (parallel forks, the example job) from racing. */
    private static Path install(Path home, String node, String npmCommand) {
        Path script = home.resolve("node_modules/stepfunctions-local/bin/stepfunctions-local.js");
        Path packageJson = home.resolve("node_modules/stepfunctions-local/package.json");
        try {
            Files.createDirectories(home);
            try (FileChannel channel = new RandomAccessFile(home.resolve(".install.lock").toFile(), "rw").getChannel();
                 FileLock lock = channel.lock()) {
                if (Files.exists(packageJson)
                        && Files.readString(packageJson).contains("\"version\": \"" + VERSION + "\"")) {
                    return script;
                }
                checkTool(node);
                checkTool(npmCommand);
                LOG.info("Installing stepfunctions-local {} with npm into {}", VERSION, home);
                Path log = home.resolve("npm-install.log");
                Process npm = new ProcessBuilder(npmCommand, "install", "--no-audit", "--no-fund", "--no-save",
                        "--loglevel=error", "--prefix", home.toString(), "stepfunctions-local@" + VERSION)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                if (!npm.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm install stepfunctions-local@" + VERSION + " took over "
                                                    + INSTALL_TIMEOUT.toMinutes() + " minutes:\n" + LoopbackProcess.tail(log));
                }
                if (npm.exitValue() != 0 || !Files.exists(script)) {
                    throw new IllegalStateException("npm install stepfunctions-local@" + VERSION + " failed with code "
                                                    + npm.exitValue() + ":\n" + LoopbackProcess.tail(log));
                }
                return script;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not install stepfunctions-local into " + home, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing stepfunctions-local", e);
        }
    }

    private static void checkTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(tool + " --version failed: the tests need Node.js and npm on the PATH");
            }
        } catch (IOException e) {
            throw nodeMissing(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static IllegalStateException nodeMissing(IOException e) {
        return new IllegalStateException("The Step Functions emulator (stepfunctions-local, npm) needs Node.js and npm on "
                                         + "the PATH, and they were not found: install them (for example apt-get install "
                                         + "nodejs npm) and run the build again",
                e);
    }
}
