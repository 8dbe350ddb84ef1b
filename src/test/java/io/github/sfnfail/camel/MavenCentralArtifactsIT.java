package io.github.sfnfail.camel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after packaging: what Maven Central requires of a release is built by every build, so that signing and
 * uploading it (mvn -Prelease deploy) is the only step left: a sources jar, a Javadoc jar, and a published POM with
 * name, description, URL, licence, developers and SCM.
 */
class MavenCentralArtifactsIT {

    private static final Path TARGET = Path.of("target");

    @Test
    void sourcesAndJavadocJarsAreBuiltBesideTheJar() throws IOException {
        assertThat(entriesOf("-sources.jar")).contains("io/github/sfnfail/camel/fail/SfnFailComponent.java",
                "io/github/sfnfail/camel/activity/SfnActivityEndpoint.java");
        assertThat(entriesOf("-javadoc.jar")).contains("index.html",
                "io/github/sfnfail/camel/fail/SfnFailConfiguration.html");
    }

    @Test
    void thePublishedPomHasWhatCentralRequiresAndSaysItAnswersEveryWay() throws IOException {
        String pom = Files.readString(Path.of(".flattened-pom.xml"));

        assertThat(pom).contains("<name>Camel :: AWS Step Functions :: Task callbacks</name>",
                "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "GetActivityTask",
                "<url>https://github.com/sfnfail/camel-aws-sfn-fail</url>", "<name>Apache-2.0</name>",
                "<developer>", "<connection>scm:git:https://github.com/sfnfail/camel-aws-sfn-fail.git</connection>");
        assertThat(Files.readString(Path.of("LICENSE"))).startsWith("                                 Apache License")
                .contains("Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
    }

    private static List<String> entriesOf(String suffix) throws IOException {
        try (var files = Files.list(TARGET)) {
            Path jar = files.filter(file -> file.getFileName().toString().startsWith("camel-aws-sfn-fail-")
                                            && file.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no camel-aws-sfn-fail-*" + suffix + " in target"));
            try (JarFile opened = new JarFile(jar.toFile())) {
                return opened.stream().map(entry -> entry.getName()).toList();
            }
        }
    }
}
