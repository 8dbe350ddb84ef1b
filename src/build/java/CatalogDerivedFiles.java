import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import io.github.sfnfail.camel.SfnSharedOptionsComponent;
import io.github.sfnfail.camel.SfnTaskConfiguration;

import org.apache.camel.util.StringHelper;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Build tool, not shipped: writes the files that describe the component's options from the one place they are
 * documented, the catalog JSON that camel-component-maven-plugin generates from the option setters' Javadoc. Run by
 * the build (exec-maven-plugin, execution catalog-derived-files) right after that plugin.
 * <p>
 * Arguments: the resource directories to write into, separated by commas (the committed src/generated copy and
 * target/classes), then for each scheme its catalog JSON and its component page (src/main/docs). Rewrites the options
 * and headers tables of each page, and writes META-INF/spring-configuration-metadata.json: Spring Boot's IDE metadata
 * for camel.component.&lt;scheme&gt;.* of every scheme and for the options they share, camel.component.aws-sfn.*,
 * which the jar's own auto-configuration binds.
 */
public class CatalogDerivedFiles {

    static final String SPRING_METADATA = "META-INF/spring-configuration-metadata.json";

    public static void main(String[] args) throws Exception {
        JsonObject metadata = new JsonObject();
        metadata.put("groups", new JsonArray());
        metadata.put("properties", new JsonArray());
        metadata.put("hints", new JsonArray());
        for (int i = 1; i + 1 < args.length; i += 2) {
            JsonObject catalog = (JsonObject) Jsoner.deserialize(Files.readString(Path.of(args[i])));
            Path page = Path.of(args[i + 1]);
            writeIfChanged(page, componentPage(Files.readString(page, StandardCharsets.UTF_8), catalog));
            JsonObject component = (JsonObject) catalog.get("component");
            addTo(metadata, springBootMetadata(catalog, component.getString("scheme"), component.getString("javaType"),
                    component.getString("description"), option -> true));
            if (i == 1) {
                // the shared aws-sfn component: the options of the first scheme that every scheme shares
                addTo(metadata, springBootMetadata(catalog, SfnSharedOptionsComponent.SCHEME,
                        SfnSharedOptionsComponent.class.getName(), "The options every aws-sfn-* scheme shares, set once; "
                                + "a scheme's own camel.component.<scheme>.* lines win over them",
                        SfnTaskConfiguration.SHARED_OPTIONS::contains));
            }
            if ("aws-sfn-activity".equals(component.getString("scheme"))) {
                // and the activity consumer's options it takes too, in the same group
                JsonObject activityShared = springBootMetadata(catalog, SfnSharedOptionsComponent.SCHEME,
                        SfnSharedOptionsComponent.class.getName(), "", SfnTaskConfiguration.SHARED_ACTIVITY_OPTIONS::contains);
                activityShared.put("groups", new JsonArray());
                addTo(metadata, activityShared);
            }
        }
        String text = Jsoner.prettyPrint(metadata.toJson(), 2) + "\n";
        for (String resources : args[0].split(",")) {
            writeIfChanged(Path.of(resources.trim()).resolve(SPRING_METADATA), text);
        }
    }

    /**
     * The component page with its generated parts rewritten from the catalog: the text between each pair of markers
     * {@code // <part>: START} and {@code // <part>: END}.
     */
    static String componentPage(String page, JsonObject catalog) {
        page = replaceBetween(page, "component options", optionsTable((JsonObject) catalog.get("componentProperties"),
                "The component supports these options, which apply to every endpoint unless it sets its own."));
        page = replaceBetween(page, "endpoint options", optionsTable((JsonObject) catalog.get("properties"),
                "The endpoint is configured with this URI syntax: `" + ((JsonObject) catalog.get("component"))
                        .getString("syntax") + "`, its path parameter and these query parameters."));
        return replaceBetween(page, "component headers", optionsTable((JsonObject) catalog.get("headers"),
                "The component reads and sets these message headers."));
    }

    private static String replaceBetween(String page, String part, String generated) {
        String start = "// " + part + ": START\n";
        String end = "// " + part + ": END";
        int from = page.indexOf(start);
        int to = page.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("The component page has no '" + start.trim() + "' ... '" + end + "'");
        }
        return page.substring(0, from + start.length()) + generated + page.substring(to);
    }

    private static String optionsTable(JsonObject options, String introduction) {
        StringBuilder table = new StringBuilder(introduction).append("\n\n")
                .append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Default | Type\n");
        for (Map.Entry<String, Object> entry : options.entrySet()) {
            JsonObject option = (JsonObject) entry.getValue();
            String kind = option.getString("kind");
            String group = option.getString("group");
            table.append("| *").append(entry.getKey()).append("*");
            if ("path".equals(kind)) {
                table.append(" (path, required)");
            } else if (group != null && !group.isEmpty()) {
                table.append(" (").append(group).append(")");
            }
            table.append(" | ").append(cell(option.getString("description")))
                    .append(" | ").append(option.get("defaultValue") == null ? "" : cell(option.get("defaultValue").toString()))
                    .append(" | ").append(typeName(option)).append("\n");
        }
        return table.append("|===\n").toString();
    }

    private static String typeName(JsonObject option) {
        if ("duration".equals(option.getString("type"))) {
            return "Duration";
        }
        String javaType = option.getString("javaType");
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    /** Text for a table cell: a | would end the cell. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|");
    }

    private static void addTo(JsonObject metadata, JsonObject more) {
        for (String part : new String[] {"groups", "properties", "hints"}) {
            ((JsonArray) metadata.get(part)).addAll((JsonArray) more.get(part));
        }
    }

    /** Spring Boot's metadata for camel.component.&lt;scheme&gt;.*: the catalog's component options that it takes. */
    static JsonObject springBootMetadata(JsonObject catalog, String scheme, String componentType, String description,
                                         Predicate<String> takes) {
        String prefix = "camel.component." + scheme;

        JsonArray properties = new JsonArray();
        JsonArray hints = new JsonArray();
        for (Map.Entry<String, Object> option : ((JsonObject) catalog.get("componentProperties")).entrySet()) {
            if (!takes.test(option.getKey())) {
                continue;
            }
            JsonObject catalogOption = (JsonObject) option.getValue();
            String name = prefix + "." + StringHelper.camelCaseToDash(option.getKey());
            JsonObject property = new JsonObject();
            property.put("name", name);
            property.put("type", springType(catalogOption));
            property.put("description", catalogOption.getString("description"));
            property.put("sourceType", componentType);
            if (catalogOption.get("defaultValue") != null) {
                property.put("defaultValue", catalogOption.get("defaultValue"));
            }
            if (catalogOption.getBooleanOrDefault("deprecated", false)) {
                property.put("deprecated", true);
            }
            properties.add(property);
            if (catalogOption.get("enum") != null) {
                JsonArray values = new JsonArray();
                for (Object value : (JsonArray) catalogOption.get("enum")) {
                    JsonObject hintValue = new JsonObject();
                    hintValue.put("value", value);
                    values.add(hintValue);
                }
                JsonObject hint = new JsonObject();
                hint.put("name", name);
                hint.put("values", values);
                hints.add(hint);
            }
        }
        JsonObject group = new JsonObject();
        group.put("name", prefix);
        group.put("type", componentType);
        group.put("sourceType", componentType);
        group.put("description", description);

        JsonObject metadata = new JsonObject();
        metadata.put("groups", new JsonArray(java.util.List.of(group)));
        metadata.put("properties", properties);
        metadata.put("hints", hints);
        return metadata;
    }

    /** The type Spring Boot's metadata names: boxed primitives, and durations as Duration (a value such as 30s). */
    static String springType(JsonObject catalogOption) {
        if ("duration".equals(catalogOption.getString("type"))) {
            return "java.time.Duration";
        }
        String javaType = catalogOption.getString("javaType");
        return switch (javaType) {
            case "boolean" -> "java.lang.Boolean";
            case "int" -> "java.lang.Integer";
            case "long" -> "java.lang.Long";
            default -> javaType;
        };
    }

    private static void writeIfChanged(Path file, String content) throws IOException {
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
