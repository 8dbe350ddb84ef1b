package io.github.sfnfail.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The options of a Maven build that a test starts (a nested {@code mvn}): the settings files and local repository of
 * the build that runs the test, and {@code -o}. A build run with {@code -s settings.xml} or
 * {@code -Dmaven.repo.local=...} then starts no build that looks for a repository under {@code ~/.m2}, and none goes
 * online: the outer build resolved everything the nested one needs. The values reach the test JVM as system
 * properties that surefire and failsafe set from the outer build's session ({@code nested.maven.*} in the POM).
 * <p>
 * The consumer projects under src/it are not started this way: maven-invoker-plugin gives each the outer build's
 * effective settings (offline flag included) and local repository itself, and none of them starts a Maven build.
 */
public final class NestedMaven {

    /** The user settings file of the outer build ({@code -s}, else ~/.m2/settings.xml), which need not exist. */
    public static final String SETTINGS = "nested.maven.settings";
    /** The global settings file of the outer build ({@code -gs}, else Maven's conf/settings.xml). */
    public static final String GLOBAL_SETTINGS = "nested.maven.global-settings";
    /** The local repository of the outer build, as its settings and {@code -Dmaven.repo.local} made it. */
    public static final String LOCAL_REPOSITORY = "nested.maven.repo.local";

    private NestedMaven() {
    }

    /** The outer build's options, as mvn takes them: -s, -gs and -Dmaven.repo.local where given, then -o. */
    public static List<String> options() {
        return options(System.getProperties());
    }

    /** The same, as words of a bash command line, each one quoted. */
    public static String shellWords(List<String> options) {
        return String.join(" ", options.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }

    static List<String> options(Properties outer) {
        List<String> options = new ArrayList<>();
        String settings = given(outer, SETTINGS);
        if (settings != null && Files.isRegularFile(Path.of(settings))) {
            options.add("-s");
            options.add(settings);
        }
        String globalSettings = given(outer, GLOBAL_SETTINGS);
        if (globalSettings != null && Files.isRegularFile(Path.of(globalSettings))) {
            options.add("-gs");
            options.add(globalSettings);
        }
        String repository = given(outer, LOCAL_REPOSITORY);
        if (repository != null) {
            options.add("-Dmaven.repo.local=" + repository);
        }
        options.add("-o");
        return List.copyOf(options);
    }

    /** A property the POM set; one it could not resolve stays an unresolved ${...} expression. */
    private static String given(Properties outer, String name) {
        String value = outer.getProperty(name);
        return value == null || value.isBlank() || value.startsWith("${") ? null : value.trim();
    }
}
