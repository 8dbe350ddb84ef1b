package io.github.sfnfail.camel.examples;

import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.Properties;

/**
 * Runs example routes as a worker process of its own, until it is killed: {@code ExampleWorker <properties file>
 * <route file>...}, the properties overriding routes/application.properties. Started by tests that need to kill a
 * worker the way a crash, an OOM kill or a lost node does.
 */
public final class ExampleWorker {

    private ExampleWorker() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties properties = new Properties();
        try (Reader reader = new FileReader(args[0])) {
            properties.load(reader);
        }
        ExampleApplication.start(properties, Arrays.copyOfRange(args, 1, args.length));
        Thread.currentThread().join();
    }
}
