package io.github.sfnfail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every option's description in Camel's catalog (and so on the component pages and in the IDE metadata, which derive
 * from it) is its setter's Javadoc, word for word and symbol for symbol: the catalog generator drops some characters
 * (a lone + between spaces), and the holes it leaves collapse into single spaces, so only a comparison shows them.
 */
class OptionDocumentationTest {

    private static final Pattern SETTER = Pattern.compile(
            "/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*public void set(\\w+)\\(", Pattern.DOTALL);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "fail", "success", "heartbeat", "activity" })
    void everyGeneratedDescriptionIsItsSettersJavadoc(String scheme) throws IOException {
        Map<String, List<String>> javadoc = settersJavadoc();
        JsonNode catalog = catalog(scheme);
        List<String> compared = new ArrayList<>();
        for (String section : new String[] {"componentProperties", "properties"}) {
            catalog.get(section).fields().forEachRemaining(option -> {
                List<String> candidates = javadoc.get(option.getKey());
                if (candidates == null) {
                    return; // an option of Camel's own (lazyStartProducer, bridgeErrorHandler...)
                }
                String description = normalize(option.getValue().get("description").asText());
                assertThat(candidates).as(scheme + " option " + option.getKey()).contains(description);
                compared.add(option.getKey());
            });
        }
        assertThat(compared).as("options compared").contains("region", "accessKey").hasSizeGreaterThan(15);
    }

    /** The Javadoc of every setter in the component's sources, as text, by option name. */
    private static Map<String, List<String>> settersJavadoc() throws IOException {
        Map<String, List<String>> javadoc = new HashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher setter = SETTER.matcher(Files.readString(file));
                while (setter.find()) {
                    String option = Character.toLowerCase(setter.group(2).charAt(0)) + setter.group(2).substring(1);
                    javadoc.computeIfAbsent(option, o -> new ArrayList<>()).add(normalize(text(setter.group(1))));
                }
            }
        }
        return javadoc;
    }

    private static String text(String comment) {
        StringBuilder text = new StringBuilder();
        for (String line : comment.split("\n")) {
            text.append(line.replaceFirst("^\\s*\\*?", "")).append(' ');
        }
        return text.toString().replaceAll("\\{@(?:code|link) ([^}]*)}", "$1");
    }

    private static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static JsonNode catalog(String scheme) throws IOException {
        try (InputStream in = OptionDocumentationTest.class.getResourceAsStream(
                "/META-INF/io/github/sfnfail/camel/" + scheme + "/aws-sfn-" + scheme + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
