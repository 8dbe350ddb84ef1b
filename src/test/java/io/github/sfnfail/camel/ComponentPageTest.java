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
 * The component page's options and headers tables say what the catalog says: every option and header, with its
 * description and default, and nothing the catalog no longer has.
 */
class ComponentPageTest {

    private static final Path PAGE = Path.of("src/main/docs/aws-sfn-fail-component.adoc");

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "component options, componentProperties", "endpoint options, properties",
                 "component headers, headers" })
    void tableListsEveryEntryOfTheCatalogWithItsDescriptionAndDefault(String part, String catalogSection)
            throws IOException {
        List<String> rows = rows(part);
        JsonNode entries = catalog().get(catalogSection);

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

    private static List<String> rows(String part) throws IOException {
        String page = Files.readString(PAGE);
        int start = page.indexOf("// " + part + ": START");
        int end = page.indexOf("// " + part + ": END");
        assertThat(start).as(part + " markers").isNotNegative().isLessThan(end);
        return page.substring(start, end).lines().filter(line -> line.startsWith("| *")).toList();
    }

    private static JsonNode catalog() throws IOException {
        try (InputStream in = ComponentPageTest.class.getResourceAsStream("/META-INF/io/github/sfnfail/camel/aws-sfn-fail.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
