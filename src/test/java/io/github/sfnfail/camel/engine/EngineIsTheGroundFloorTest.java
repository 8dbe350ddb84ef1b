package io.github.sfnfail.camel.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers of the sources: the engine is the ground floor every scheme stands on, and the observability reads it;
 * neither reaches up into the endpoints' package or a scheme, so that a scheme is a thin layer over both.
 */
class EngineIsTheGroundFloorTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/sfnfail/camel");
    private static final Pattern OWN_IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.sfnfail\\.camel\\.([\\w.]+);",
            Pattern.MULTILINE);

    @Test
    void theEngineImportsNothingOfTheProjectOutsideItself() throws IOException {
        assertThat(projectImports("engine")).allMatch(name -> name.startsWith("engine."));
    }

    @Test
    void theObservabilityImportsOnlyTheEngine() throws IOException {
        assertThat(projectImports("observe")).allMatch(name -> name.startsWith("engine.") || name.startsWith("observe."));
    }

    /** What the sources of one package import from the project, as names below io.github.sfnfail.camel. */
    private static List<String> projectImports(String packageName) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(packageName))) {
            return files.filter(file -> file.toString().endsWith(".java")).flatMap(file -> {
                try {
                    Matcher imports = OWN_IMPORT.matcher(Files.readString(file));
                    return imports.results().map(result -> result.group(1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
