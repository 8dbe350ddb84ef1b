package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.fail.SfnFailComponentConfigurer;
import io.github.sfnfail.camel.fail.SfnFailEndpointConfigurer;
import io.github.sfnfail.camel.fail.SfnFailEndpointUriFactory;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs on the packaged jar: the classes camel-component-maven-plugin generates after compilation must be in it, since
 * its service files name them.
 */
class GeneratedClassesInJarIT {

    @Test
    void jarShipsTheGeneratedConfigurersUriFactoryServiceFilesAndSpringBootMetadata() throws IOException {
        File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("camel-aws-sfn-fail-")
                                                                 && name.endsWith(".jar") && !name.contains("sources"));
        assertThat(jars).as("the packaged jar").hasSize(1);
        try (JarFile jar = new JarFile(jars[0])) {
            List<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(entries).contains(
                    "io/github/sfnfail/camel/SfnFailComponentConfigurer.class",
                    "io/github/sfnfail/camel/SfnFailEndpointConfigurer.class",
                    "io/github/sfnfail/camel/SfnFailEndpointUriFactory.class",
                    "META-INF/services/org/apache/camel/component/aws-sfn-fail",
                    "META-INF/services/org/apache/camel/configurer/aws-sfn-fail-component",
                    "META-INF/services/org/apache/camel/configurer/aws-sfn-fail-endpoint",
                    "META-INF/services/org/apache/camel/urifactory/aws-sfn-fail-endpoint",
                    "META-INF/io/github/sfnfail/camel/aws-sfn-fail.json",
                    "META-INF/spring-configuration-metadata.json");
            String componentService = new String(jar.getInputStream(
                    jar.getEntry("META-INF/services/org/apache/camel/component/aws-sfn-fail")).readAllBytes());
            assertThat(Arrays.asList(componentService.split("\\R"))).contains("class=io.github.sfnfail.camel.SfnFailComponent");
        }
    }
}
