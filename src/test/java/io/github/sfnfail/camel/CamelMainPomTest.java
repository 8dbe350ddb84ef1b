package io.github.sfnfail.camel;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pom.xml that docs/camel-main.md gives to copy is the camel-main consumer project's, as a user writes it:
 * the same Camel and BOM import, the same dependencies with the same scopes and versions (the build's own component
 * version, no placeholders, no test dependencies), and beside them the modules the README's activity worker needs,
 * camel-jackson and camel-bean, which src/it/token-recipes proves with the component; the plugins at the build's own
 * versions. The consumer project runs in every build, so what it proves holds for the copy.
 */
class CamelMainPomTest {

    private static final Pattern WHOLE_POM = Pattern.compile(
            "<!-- checked against: (\\S+) -->\\n```xml\\n(.*?)\\n```", Pattern.DOTALL);
    /** The README's activity worker: unmarshal: json: {} and to: bean:reserveStock. */
    private static final Set<String> README_ROUTE_MODULES = Set.of("org.apache.camel:camel-jackson:compile",
            "org.apache.camel:camel-bean:compile");

    private static Element copy;
    private static Element consumer;
    private static Element build;

    @BeforeAll
    static void read() throws Exception {
        Matcher pom = WHOLE_POM.matcher(Files.readString(Path.of("docs", "camel-main.md")));
        assertThat(pom.find()).as("docs/camel-main.md gives a whole pom.xml, marked <!-- checked against: ... -->")
                .isTrue();
        assertThat(pom.group(1)).isEqualTo("src/it/camel-main/pom.xml");
        copy = parse(pom.group(2));
        consumer = parse(Files.readString(Path.of(pom.group(1))));
        build = parse(Files.readString(Path.of("pom.xml")));
    }

    @Test
    void itIsAWholeProjectWithNothingLeftToFillIn() {
        assertThat(text(copy, "modelVersion")).isEqualTo("4.0.0");
        assertThat(List.of(text(copy, "groupId"), text(copy, "artifactId"), text(copy, "version")))
                .doesNotContainNull();
        assertThat(copy.getTextContent()).doesNotContain("@").doesNotContain("${project.");
        for (String property : List.of("camel.version", "log4j2.version")) {
            assertThat(text(child(copy, "properties"), property)).as(property).isNotNull();
        }
    }

    @Test
    void itHasTheCamelLoggingAndJavaVersionsOfTheConsumerProjectAndTheBuildsComponent() {
        for (String property : List.of("camel.version", "log4j2.version", "maven.compiler.release")) {
            assertThat(text(child(copy, "properties"), property)).as(property)
                    .isEqualTo(text(child(consumer, "properties"), property));
        }
        assertThat(dependencies(copy, true)).contains("io.github.sfnfail:camel-aws-sfn-fail:compile:"
                                                      + text(build, "version"));
    }

    @Test
    void itImportsTheBomsTheConsumerProjectDoesForItsApplication() {
        Set<String> imports = dependencies(child(consumer, "dependencyManagement"), false);
        imports.remove("org.junit:junit-bom:import");

        assertThat(dependencies(child(copy, "dependencyManagement"), false)).isEqualTo(imports);
    }

    @Test
    void itsDependenciesAreTheConsumerProjectsAndTheModulesOfTheReadmesRoute() {
        Set<String> wanted = new HashSet<>(dependencies(consumer, false));
        wanted.removeIf(dependency -> dependency.endsWith(":test"));
        wanted.addAll(README_ROUTE_MODULES);

        assertThat(dependencies(copy, false)).isEqualTo(wanted);
    }

    @Test
    void theModulesOfTheReadmesRouteAreProvedWithTheComponentByTheTokenRecipes() throws Exception {
        Element recipes = parse(Files.readString(Path.of("src/it/token-recipes/pom.xml")));
        boolean proved = false;
        for (Element profile : children(child(recipes, "profiles"), "profile")) {
            Set<String> modules = dependencies(profile, false);
            proved |= modules.containsAll(README_ROUTE_MODULES);
        }

        assertThat(proved).as("a token-recipes profile with camel-jackson and camel-bean").isTrue();
        assertThat(dependencies(recipes, false)).contains("io.github.sfnfail:camel-aws-sfn-fail:compile");
    }

    @Test
    void itsPluginsAreAtTheBuildsOwnVersions() {
        for (Element plugin : children(child(child(copy, "build"), "plugins"), "plugin")) {
            String artifactId = text(plugin, "artifactId");

            assertThat(text(plugin, "version")).as(artifactId)
                    .isEqualTo(text(child(build, "properties"), artifactId + ".version"));
        }
    }

    @Test
    void theReadmesFirstStepNamesTheModulesOfItsOwnRoute() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String firstStep = readme.substring(readme.indexOf("1. **The dependency.**"), readme.indexOf("2. **"));

        assertThat(firstStep).contains("`camel-jackson`", "`camel-bean`", "docs/camel-main.md");
    }

    /** groupId:artifactId:scope of the dependencies directly under this element, with the version if asked. */
    private static Set<String> dependencies(Element parent, boolean withVersion) {
        Set<String> dependencies = new HashSet<>();
        for (Element dependency : children(child(parent, "dependencies"), "dependency")) {
            String scope = text(dependency, "scope");
            String id = text(dependency, "groupId") + ":" + text(dependency, "artifactId") + ":"
                        + (scope == null ? "compile" : scope);
            dependencies.add(withVersion ? id + ":" + text(dependency, "version") : id);
        }
        return dependencies;
    }

    private static Element parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element found = child(parent, name);
        return found == null ? null : found.getTextContent().trim();
    }
}
