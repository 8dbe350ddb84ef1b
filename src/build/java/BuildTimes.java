import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build tool, not shipped: prints where a finished build's test time went, from the reports it left under target: per
 * test kind (surefire, failsafe) the classes, tests and summed seconds with the slowest classes, and each consumer
 * project's build. Run after a build: {@code java src/build/java/BuildTimes.java target}.
 * <p>
 * Test JVMs run side by side, so the summed seconds of a kind exceed the time its phase took.
 */
public class BuildTimes {

    private static final Pattern SUITE = Pattern.compile(
            "<testsuite[^>]*?\\bname=\"([^\"]+)\"[^>]*?\\btime=\"([0-9.,]+)\"[^>]*?\\btests=\"(\\d+)\"");
    private static final Pattern BUILD_JOB = Pattern.compile(
            "<build-job[^>]*?\\bproject=\"([^\"]+)\"[^>]*?\\bresult=\"([^\"]+)\"[^>]*?\\btime=\"([0-9.,]+)\"");
    private static final int SLOWEST = 8;

    record Timed(String name, double seconds, int tests, String result) {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        for (String kind : List.of("surefire-reports", "failsafe-reports")) {
            List<Timed> classes = read(target.resolve(kind), "TEST-", SUITE);
            printTests(kind, classes);
        }
        List<Timed> builds = read(target.resolve("invoker-reports"), "BUILD-", BUILD_JOB);
        System.out.printf("consumer projects: %d builds%n", builds.size());
        builds.forEach(build -> System.out.printf("  %7.1f s  %s (%s)%n", build.seconds(), build.name(), build.result()));
    }

    private static void printTests(String kind, List<Timed> classes) {
        int tests = classes.stream().mapToInt(Timed::tests).sum();
        double seconds = classes.stream().mapToDouble(Timed::seconds).sum();
        System.out.printf("%s: %d classes, %d tests, %.0f s summed over the classes%n", kind, classes.size(), tests,
                seconds);
        classes.stream().limit(SLOWEST).forEach(timed -> System.out.printf("  %7.1f s  %s (%d tests)%n",
                timed.seconds(), timed.name().substring(timed.name().lastIndexOf('.') + 1), timed.tests()));
    }

    private static List<Timed> read(Path directory, String prefix, Pattern pattern) throws IOException {
        List<Timed> timed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return timed;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                                               && f.getFileName().toString().endsWith(".xml")).toList()) {
                Matcher matcher = pattern.matcher(Files.readString(file));
                if (!matcher.find()) {
                    continue;
                }
                if (pattern == SUITE) {
                    timed.add(new Timed(matcher.group(1), seconds(matcher.group(2)),
                            Integer.parseInt(matcher.group(3)), ""));
                } else {
                    timed.add(new Timed(matcher.group(1), seconds(matcher.group(3)), 0, matcher.group(2)));
                }
            }
        }
        timed.sort(Comparator.comparingDouble(Timed::seconds).reversed());
        return timed;
    }

    private static double seconds(String text) {
        return Double.parseDouble(text.replace(",", ""));
    }
}
