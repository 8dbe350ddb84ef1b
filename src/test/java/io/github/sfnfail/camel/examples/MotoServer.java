package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moto's server (Python, already on these machines) on a free loopback port, with Step Functions executions that run
 * for real: a {@code .waitForTaskToken} Task sends its token to moto's own SQS, and SendTaskSuccess or
 * SendTaskFailure ends the execution. The launcher (src/local/moto_server.py) works around moto 5.2.1's
 * gaps; see TESTING.md.
 */
public final class MotoServer implements AutoCloseable {

    /** The launcher, shipped where users run it too. */
    public static final String LAUNCHER = "src/local/moto_server.py";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final LoopbackProcess server;

    private MotoServer(LoopbackProcess server) {
        this.server = server;
    }

    public static MotoServer start() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path home = base.resolve("target").resolve("moto");
        Path launcher = base.resolve(LAUNCHER);
        int port = FreePort.pick();
        try {
            Files.createDirectories(home);
            Path log = home.resolve("moto-" + port + ".log");
            LoopbackProcess server;
            try {
                server = LoopbackProcess.start("moto", List.of("python3", launcher.toString(), String.valueOf(port)),
                        port, log, START_TIMEOUT);
            } catch (IOException e) {
                throw new IllegalStateException("moto's server needs python3 with the moto package (pip install "
                                                + "'moto[server]'), and python3 was not found", e);
            }
            LOG.info("moto listening on {} (pid {}, log {})", server.endpoint(), server.pid(), log);
            return new MotoServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start moto under " + home, e);
        }
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** The URL moto gives the queue of that name (its SQS answers on the same port). */
    public String queueUrl(String queue) {
        return endpoint() + "/" + ACCOUNT + "/" + queue;
    }

    @Override
    public void close() {
        server.close();
    }
}
