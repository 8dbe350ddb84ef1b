package io.github.sfnfail.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.maven.NestedMaven;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Maven build a test starts takes this build's settings and local repository, and runs offline ({@link NestedMaven}),
 * whatever its own home holds: here an empty home, whose ~/.m2 has no repository and no settings, the first-hour
 * case of a build run with -Dmaven.repo.local or -s. Offline, the project's model (which imports the AWS SDK's and
 * Camel's BOMs) resolves from this build's local repository only.
 */
class NestedMavenIT {

    private final Path work = Path.of("target", "nested-maven");

    @Test
    void theOuterBuildsLocalRepositoryIsGiven() {
        assertThat(System.getProperty(NestedMaven.LOCAL_REPOSITORY)).as("set by failsafe from this build's session")
                .isNotBlank().doesNotStartWith("${");
        assertThat(NestedMaven.options())
                .contains("-Dmaven.repo.local=" + System.getProperty(NestedMaven.LOCAL_REPOSITORY)).endsWith("-o");
    }

    @Test
    void aNestedBuildWithTheOuterOptionsResolvesTheProjectFromAnEmptyHome() throws Exception {
        Result result = validateFromAnEmptyHome(NestedMaven.options());

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void withoutThemTheSameBuildFindsNothingToResolve() throws Exception {
        Result result = validateFromAnEmptyHome(List.of("-o"));

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("Non-resolvable import POM");
    }

    private record Result(int exit, String output) {
    }

    private Result validateFromAnEmptyHome(List<String> options) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work.toAbsolutePath(), "home-");
        Path log = Files.createTempFile(work.toAbsolutePath(), "validate-", ".log");
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q"));
        command.addAll(options);
        command.addAll(List.of("-f", "pom.xml", "validate"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // ~ of the nested Maven: Maven reads user.home when it starts, before any -D of its command line
        String opts = builder.environment().getOrDefault("MAVEN_OPTS", "");
        builder.environment().put("MAVEN_OPTS", (opts + " -Duser.home=" + home).trim());
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process maven = builder.start();
        if (!maven.waitFor(3, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new AssertionError("mvn validate still running after 3 minutes: " + command);
        }
        return new Result(maven.exitValue(), command + "\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
}
