package io.github.sfnfail.camel.springboot;

import io.github.sfnfail.camel.SfnSharedOptionsComponent;
import io.github.sfnfail.camel.SfnTaskConfiguration;
import io.github.sfnfail.camel.fail.SfnFailComponent;

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
 * of each scheme (kebab-case, under camel.component.aws-sfn-fail, aws-sfn-success, aws-sfn-heartbeat and
 * aws-sfn-activity, and the options they share under camel.component.aws-sfn), descriptions, defaults and allowed
 * values.
 */
class SpringBootMetadataTest {

    private static final String PREFIX = "camel.component.aws-sfn-fail.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> COMPONENTS = Map.of(
            "fail", "io.github.sfnfail.camel.fail.SfnFailComponent",
            "success", "io.github.sfnfail.camel.success.SfnSuccessComponent",
            "heartbeat", "io.github.sfnfail.camel.heartbeat.SfnHeartbeatComponent",
            "activity", "io.github.sfnfail.camel.activity.SfnActivityComponent");

    /** Every scheme's component options, by their Spring Boot name. */
    private static Map<String, JsonNode> catalogOptions;
    private static Map<String, String> sourceTypes;
    private static Map<String, JsonNode> properties;
    private static Map<String, List<String>> hints;

    @BeforeAll
    static void readBoth() throws IOException {
        catalogOptions = new HashMap<>();
        sourceTypes = new HashMap<>();
        for (Map.Entry<String, String> scheme : COMPONENTS.entrySet()) {
            read("/META-INF/io/github/sfnfail/camel/" + scheme.getKey() + "/aws-sfn-" + scheme.getKey() + ".json")
                    .get("componentProperties").fields().forEachRemaining(option -> {
                        String name = "camel.component.aws-sfn-" + scheme.getKey() + "."
                                      + StringHelper.camelCaseToDash(option.getKey());
                        catalogOptions.put(name, option.getValue());
                        sourceTypes.put(name, scheme.getValue());
                        if (scheme.getKey().equals("fail")
                                && SfnTaskConfiguration.SHARED_OPTIONS.contains(option.getKey())
                            || scheme.getKey().equals("activity")
                                && SfnTaskConfiguration.SHARED_ACTIVITY_OPTIONS.contains(option.getKey())) {
                            String shared = "camel.component.aws-sfn." + StringHelper.camelCaseToDash(option.getKey());
                            catalogOptions.put(shared, option.getValue());
                            sourceTypes.put(shared, SfnSharedOptionsComponent.class.getName());
                        }
                    });
        }
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
        assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(catalogOptions.keySet())
                .contains(PREFIX + "region", PREFIX + "retry-mode", PREFIX + "ignore-closed-task", PREFIX + "access-key",
                        "camel.component.aws-sfn-success.region", "camel.component.aws-sfn-heartbeat.period",
                        "camel.component.aws-sfn-activity.concurrent-pollers", "camel.component.aws-sfn.region",
                        "camel.component.aws-sfn.uri-endpoint-override")
                .doesNotContain("camel.component.aws-sfn.task-token", "camel.component.aws-sfn.error");
    }

    @Test
    void descriptionsDefaultsAndAllowedValuesAreTheCatalogs() {
        catalogOptions.forEach((name, catalog) -> {
            JsonNode property = properties.get(name);

            assertThat(property.get("description").asText()).as(name).isEqualTo(catalog.get("description").asText())
                    .isNotBlank();
            assertThat(property.get("defaultValue")).as(name + " default").isEqualTo(catalog.get("defaultValue"));
            assertThat(property.get("sourceType").asText()).isEqualTo(sourceTypes.get(name));
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
