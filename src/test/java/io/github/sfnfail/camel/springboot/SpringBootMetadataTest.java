package io.github.sfnfail.camel.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.util.StringHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot IDE metadata the jar ships says what Camel's catalog says of every component option: the same names
 * (kebab-case, under camel.component.aws-sfn-fail), descriptions, defaults and allowed values.
 */
class SpringBootMetadataTest {

    private static final String PREFIX = "camel.component.aws-sfn-fail.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode catalogOptions;
    private static Map<String, JsonNode> properties;
    private static Map<String, List<String>> hints;

    @BeforeAll
    static void readBoth() throws IOException {
        catalogOptions = read("/META-INF/io/github/sfnfail/camel/aws-sfn-fail.json").get("componentProperties");
        JsonNode metadata = read("/META-INF/spring-configuration-metadata.json");
        properties = new HashMap<>();
        metadata.get("properties").forEach(property -> properties.put(property.get("name").asText(), property));
        hints = new HashMap<>();
        metadata.get("hints").forEach(hint -> {
            List<String> values = new ArrayList<>();
            hint.get("values").forEach(value -> values.add(value.get("value").asText()));
            hints.put(hint.get("name").asText(), values);
        });
    }

    @Test
    void everyComponentOptionAndNothingElse() {
        List<String> expected = new ArrayList<>();
        catalogOptions.fieldNames().forEachRemaining(option -> expected.add(PREFIX + StringHelper.camelCaseToDash(option)));

        assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(expected)
                .contains(PREFIX + "region", PREFIX + "retry-mode", PREFIX + "ignore-closed-task", PREFIX + "access-key");
    }

    @Test
    void descriptionsDefaultsAndAllowedValuesAreTheCatalogs() {
        catalogOptions.fields().forEachRemaining(option -> {
            String name = PREFIX + StringHelper.camelCaseToDash(option.getKey());
            JsonNode catalog = option.getValue();
            JsonNode property = properties.get(name);

            assertThat(property.get("description").asText()).as(name).isEqualTo(catalog.get("description").asText())
                    .isNotBlank();
            assertThat(property.get("defaultValue")).as(name + " default").isEqualTo(catalog.get("defaultValue"));
            assertThat(property.get("sourceType").asText()).isEqualTo("io.github.sfnfail.camel.SfnFailComponent");
            if (catalog.has("enum")) {
                List<String> values = new ArrayList<>();
                catalog.get("enum").forEach(value -> values.add(value.asText()));
                assertThat(hints.get(name)).as(name + " values").isEqualTo(values);
            } else {
                assertThat(hints).doesNotContainKey(name);
            }
        });
    }

    @Test
    void typesAreWhatSpringBootBindsAndIdesUnderstand() {
        assertThat(properties.get(PREFIX + "region").get("type").asText()).isEqualTo("java.lang.String");
        assertThat(properties.get(PREFIX + "ignore-closed-task").get("type").asText()).isEqualTo("java.lang.Boolean");
        assertThat(properties.get(PREFIX + "max-attempts").get("type").asText()).isEqualTo("java.lang.Integer");
        assertThat(properties.get(PREFIX + "api-call-timeout").get("type").asText()).isEqualTo("java.time.Duration");
        assertThat(properties.get(PREFIX + "retry-mode").get("type").asText())
                .isEqualTo("software.amazon.awssdk.core.retry.RetryMode");
        assertThat(hints.get(PREFIX + "retry-mode")).containsExactly("LEGACY", "STANDARD");
        assertThat(properties.get(PREFIX + "truncate-cause").get("defaultValue").asBoolean()).isTrue();
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = SpringBootMetadataTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the class path").isNotNull();
            return JSON.readTree(in);
        }
    }
}
