package io.github.sfnfail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each scheme's component page has options and headers tables that say what its catalog says: every option and header, with its
 * description and default, and nothing the catalog no longer has.
 */
class ComponentPageTest {

    private static final Path PAGE = page("aws-sfn-fail");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({ "fail, component options, componentProperties", "fail, endpoint options, properties",
                 "fail, component headers, headers",
                 "success, component options, componentProperties", "success, endpoint options, properties",
                 "success, component headers, headers",
                 "heartbeat, component options, componentProperties", "heartbeat, endpoint options, properties",
                 "heartbeat, component headers, headers",
                 "activity, component options, componentProperties", "activity, endpoint options, properties",
                 "activity, component headers, headers" })
    void tableListsEveryEntryOfTheCatalogWithItsDescriptionAndDefault(String scheme, String part, String catalogSection)
            throws IOException {
        List<String> rows = rows(page("aws-sfn-" + scheme), part);
        JsonNode entries = catalog(scheme).get(catalogSection);

        List<String> names = new ArrayList<>();
        entries.fields().forEachRemaining(entry -> {
            names.add(entry.getKey());
            String row = rows.stream().filter(r -> r.startsWith("| *" + entry.getKey() + "*")).findFirst()
                    .orElseThrow(() -> new AssertionError(part + " has no row for " + entry.getKey()));
            String description = entry.getValue().get("description").asText().replace("|", "\\|");
            assertThat(row).as(entry.getKey()).contains(" | " + description + " | ");
            JsonNode defaultValue = entry.getValue().get("defaultValue");
            if (defaultValue != null) {
                assertThat(row).as(entry.getKey() + " default").contains(" | " + defaultValue.asText() + " | ");
            }
        });
        assertThat(rows).as("rows of " + part).hasSameSizeAs(names);
    }

    @Test
    void theOptionsAddedForQuotasAndKmsAreDocumented() throws IOException {
        String page = Files.readString(PAGE);

        assertThat(page).contains("| *throttlingTimeout* (advanced)", "| *kmsFallback* (producer)",
                "| *CamelAwsSfnKmsFallback* (producer)", "| *label* (path, required)");
    }

    private static Path page(String scheme) {
        return Path.of("src/main/docs/" + scheme + "-component.adoc");
    }

    private static List<String> rows(Path file, String part) throws IOException {
        String page = Files.readString(file);
        int start = page.indexOf("// " + part + ": START");
        int end = page.indexOf("// " + part + ": END");
        assertThat(start).as(part + " markers").isNotNegative().isLessThan(end);
        return page.substring(start, end).lines().filter(line -> line.startsWith("| *")).toList();
    }

    private static JsonNode catalog(String scheme) throws IOException {
        try (InputStream in = ComponentPageTest.class.getResourceAsStream(
                "/META-INF/io/github/sfnfail/camel/" + scheme + "/aws-sfn-" + scheme + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
