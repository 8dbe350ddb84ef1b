package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moto's server (Python, already on these machines) on a free loopback port, with Step Functions executions that run
 * for real: a {@code .waitForTaskToken} Task sends its token to moto's own SQS, and SendTaskSuccess or
 * SendTaskFailure ends the execution. The launcher (src/test/resources/moto/moto_server.py) works around moto 5.2.1's
 * gaps; see TESTING.md.
 */
public final class MotoServer implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final LoopbackProcess server;

    private MotoServer(LoopbackProcess server) {
        this.server = server;
    }

    public static MotoServer start() {
        Path home = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "moto");
        int port = FreePort.pick();
        try {
            Files.createDirectories(home);
            Path launcher = home.resolve("moto_server.py");
            try (InputStream in = MotoServer.class.getResourceAsStream("/moto/moto_server.py")) {
                Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
            }
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
