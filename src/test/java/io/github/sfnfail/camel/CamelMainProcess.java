package io.github.sfnfail.camel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A camel-main worker in a JVM of its own, as a user's runs: camel-main's own Main on the test class path, one YAML
 * route file and an application.properties that point the component at a loopback stand-in.
 */
final class CamelMainProcess {

    private CamelMainProcess() {
    }

    /**
     * @param dir   where the route, the properties and the log go
     * @param route the YAML of the routes
     * @param name  camel.main.name, and the access key's suffix
     * @param sfnUrl the stand-in's URL
     */
    static Process start(Path dir, Path log, String route, String name, String sfnUrl) throws IOException {
        Path routes = dir.resolve("worker.yaml").toAbsolutePath();
        Path properties = dir.resolve("application.properties").toAbsolutePath();
        Files.writeString(routes, route);
        Files.writeString(properties, """
                camel.main.name = %s
                camel.main.routes-include-pattern = file:%s
                camel.component.aws-sfn.region = eu-west-1
                camel.component.aws-sfn.access-key = AKIA%s
                camel.component.aws-sfn.secret-key = %s-secret
                camel.component.aws-sfn.override-endpoint = true
                camel.component.aws-sfn.uri-endpoint-override = %s
                """.formatted(name, routes, name.toUpperCase().replace("-", ""), name, sfnUrl));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=src/test/resources/logback-examples.xml",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.apache.camel.main.Main", "-pl", "file:" + properties);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
