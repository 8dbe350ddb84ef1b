package io.github.sfnfail.camel;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs on the packaged jar: the classes camel-component-maven-plugin generates after compilation must be in it, since
 * its service files name them.
 */
class GeneratedClassesInJarIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "fail, SfnFail", "success, SfnSuccess", "heartbeat, SfnHeartbeat", "activity, SfnActivity" })
    void jarShipsEachSchemesGeneratedConfigurersUriFactoryServiceFilesAndSpringBootMetadata(String scheme, String prefix)
            throws IOException {
        File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("camel-aws-sfn-fail-")
                                                                 && name.endsWith(".jar") && !name.contains("sources")
                                                                 && !name.contains("javadoc"));
        assertThat(jars).as("the packaged jar").hasSize(1);
        String packagePath = "io/github/sfnfail/camel/" + scheme + "/";
        try (JarFile jar = new JarFile(jars[0])) {
            List<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(entries).contains(
                    packagePath + prefix + "ComponentConfigurer.class",
                    packagePath + prefix + "EndpointConfigurer.class",
                    packagePath + prefix + "EndpointUriFactory.class",
                    "META-INF/services/org/apache/camel/component/aws-sfn-" + scheme,
                    "META-INF/services/org/apache/camel/configurer/aws-sfn-" + scheme + "-component",
                    "META-INF/services/org/apache/camel/configurer/aws-sfn-" + scheme + "-endpoint",
                    "META-INF/services/org/apache/camel/urifactory/aws-sfn-" + scheme + "-endpoint",
                    "META-INF/" + packagePath + "aws-sfn-" + scheme + ".json",
                    "META-INF/spring-configuration-metadata.json",
                    "META-INF/services/org/apache/camel/dev-console/aws-sfn");
            String componentService = new String(jar.getInputStream(
                    jar.getEntry("META-INF/services/org/apache/camel/component/aws-sfn-" + scheme)).readAllBytes());
            assertThat(Arrays.asList(componentService.split("\\R")))
                    .contains("class=io.github.sfnfail.camel." + scheme + "." + prefix + "Component");
        }
    }
}
