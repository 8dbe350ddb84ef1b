package io.github.sfnfail.it;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS SDK modules on the test class path and their versions, read from the local repository paths of their jars:
 * a consumer must run on one SDK version, whatever its platform manages.
 */
public final class SdkVersionsOnClasspath {

    private static final Pattern SDK_JAR = Pattern.compile(
            "software[/\\\\]amazon[/\\\\]awssdk[/\\\\]([^/\\\\]+)[/\\\\]([^/\\\\]+)[/\\\\][^/\\\\]+\\.jar$");

    private SdkVersionsOnClasspath() {
    }

    /** Module name to version. */
    public static Map<String, String> modules() {
        // surefire runs tests from a manifest-only jar; it names the real class path in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Map<String, String> modules = new TreeMap<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Matcher jar = SDK_JAR.matcher(entry);
            if (jar.find()) {
                modules.put(jar.group(1), jar.group(2));
            }
        }
        return modules;
    }

    /** Fails unless the SDK is on the class path, every module at the given version. */
    public static void assertAllAt(String version) {
        Map<String, String> modules = modules();
        if (!modules.containsKey("sfn") || !modules.containsKey("sdk-core")) {
            throw new AssertionError("Expected sfn and sdk-core on the class path, found " + modules);
        }
        modules.forEach((module, found) -> {
            if (!found.equals(version)) {
                throw new AssertionError("Expected every AWS SDK module at " + version + ", but " + module + " is "
                                         + found + ": " + modules);
            }
        });
    }
}
