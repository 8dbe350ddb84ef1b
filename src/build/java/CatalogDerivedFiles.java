import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.util.StringHelper;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Build tool, not shipped: writes the files that describe the component's options from the one place they are
 * documented, the catalog JSON that camel-component-maven-plugin generates from the option setters' Javadoc. Run by
 * the build (exec-maven-plugin, execution catalog-derived-files) right after that plugin.
 * <p>
 * Arguments: the catalog JSON, then one or more resource directories to write into (the committed src/generated copy
 * and target/classes). Writes META-INF/spring-configuration-metadata.json: Spring Boot's IDE metadata for
 * camel.component.aws-sfn-fail.*, which the component's own auto-configuration binds.
 */
public class CatalogDerivedFiles {

    static final String SPRING_METADATA = "META-INF/spring-configuration-metadata.json";

    public static void main(String[] args) throws Exception {
        JsonObject catalog = (JsonObject) Jsoner.deserialize(Files.readString(Path.of(args[0])));
        String metadata = Jsoner.prettyPrint(springBootMetadata(catalog).toJson(), 2) + "\n";
        for (int i = 1; i < args.length; i++) {
            writeIfChanged(Path.of(args[i]).resolve(SPRING_METADATA), metadata);
        }
    }

    static JsonObject springBootMetadata(JsonObject catalog) {
        JsonObject component = (JsonObject) catalog.get("component");
        String prefix = "camel.component." + component.getString("scheme");
        String componentType = component.getString("javaType");

        JsonArray properties = new JsonArray();
        JsonArray hints = new JsonArray();
        for (Map.Entry<String, Object> option : ((JsonObject) catalog.get("componentProperties")).entrySet()) {
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
        group.put("description", component.getString("description"));

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
