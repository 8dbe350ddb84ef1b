package io.github.sfnfail.camel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example route validates against the JSON schema of Camel's YAML DSL, the one editors and Camel's tooling use
 * (schema/camelYamlDsl.json in the camel-yaml-dsl jar).
 */
class ExampleRoutesSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonSchema camelYamlDsl;

    @BeforeAll
    static void loadCamelsSchema() throws IOException {
        try (InputStream schema = ExampleRoutesSchemaTest.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            assertThat(schema).as("schema/camelYamlDsl.json of camel-yaml-dsl").isNotNull();
            camelYamlDsl = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        }
    }

    static List<Path> exampleRoutes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void theExamplesAreThere() throws IOException {
        assertThat(exampleRoutes()).extracting(file -> file.getFileName().toString())
                .contains("activity-worker.yaml", "sqs-callback-worker.yaml", "http-task-failure.yaml", "reserve-stock.yaml");
    }

    @ParameterizedTest
    @MethodSource("exampleRoutes")
    void validatesAgainstCamelsYamlDslSchema(Path routes) throws IOException {
        Set<ValidationMessage> errors = camelYamlDsl.validate(YAML.readTree(routes.toFile()));

        assertThat(errors).as("%s against Camel's YAML DSL schema", routes).isEmpty();
    }

    @Test
    void aNumberWhereTheSchemaWantsTextIsFound() throws IOException {
        JsonNode routes = YAML.readTree("""
                - route:
                    from:
                      uri: direct:reply
                      steps:
                        - setHeader:
                            name: CamelHttpResponseCode
                            constant: 202
                """);

        assertThat(camelYamlDsl.validate(routes)).isNotEmpty();
    }
}
