package io.github.sfnfail.camel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README and the guides under docs/ show is what the builds run: each snippet marked
 * {@code <!-- proved by: path -->} is, line for line, in the file it names (a consumer project's, a route's, a test's),
 * every link to a file of the repository leads to one, and the README stays a front door: at most 300 lines, with the
 * two set-up commands and no other.
 */
class DocSnippetsTest {

    private static final Pattern PROVED = Pattern.compile(
            "^( *)<!-- proved by: (\\S+) -->\\n *```\\w*\\n(.*?)\\n *```", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    static Stream<Arguments> snippets() throws IOException {
        List<Arguments> snippets = new ArrayList<>();
        for (Path page : pages()) {
            Matcher snippet = PROVED.matcher(Files.readString(page));
            while (snippet.find()) {
                int indent = snippet.group(1).length();
                List<String> lines = snippet.group(3).lines()
                        .map(line -> line.length() >= indent && line.substring(0, indent).isBlank()
                                ? line.substring(indent) : line)
                        .toList();
                snippets.add(Arguments.of(page.toString(), snippet.group(2), lines));
            }
        }
        return snippets.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("snippets")
    void eachSnippetMarkedAsProvedIsLineForLineInTheFileItNames(String page, String path, List<String> snippet)
            throws IOException {
        List<String> file = Files.readString(Path.of(path)).lines().map(DocSnippetsTest::trimEnd).toList();
        List<String> wanted = snippet.stream().map(DocSnippetsTest::trimEnd).toList();

        assertThat(Collections.indexOfSubList(file, wanted)).as(page + " shows lines that " + path + " does not have:\n"
                                                                 + String.join("\n", wanted)).isNotNegative();
    }

    @Test
    void theGuidesShowSnippetsProvedByTheConsumerProjects() throws IOException {
        for (String guide : List.of("camel-main", "spring-boot", "quarkus", "jbang", "kamelets")) {
            assertThat(Files.readString(Path.of("docs", guide + ".md"))).as(guide).contains("<!-- proved by: ");
        }
    }

    @Test
    void everyLinkToAFileOfTheRepositoryLeadsToOne() throws IOException {
        for (Path page : pages()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String target = link.group(1);
                if (!target.startsWith("http")) {
                    assertThat(page.resolveSibling(target)).as(page + " links to " + target).exists();
                }
            }
        }
    }

    @Test
    void theReadmeIsAFrontDoorOfAtMost300LinesWithTheTwoSetUpCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> commands = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(readme);
        while (block.find()) {
            commands.add(block.group(1).strip());
        }

        assertThat(readme.lines().count()).isLessThanOrEqualTo(300);
        assertThat(commands).containsExactly("mvn -B test-compile exec:exec@examples", "mvn -B verify");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static String trimEnd(String line) {
        return line.stripTrailing();
    }
}
