package io.github.sfnfail.camel.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a soak run does: the one place its settings and their defaults live. {@link #fromSystemProperties()} reads the
 * {@code soak.*} system properties that {@code mvn -B test-compile exec:exec@soak -Dsoak.minutes=...} passes (an empty
 * value is the default below); the short soak of the test command gives its own values to {@link #of(Map)}.
 *
 * @param minutes          how long tasks are offered; the run then drains what is left and stops the workers
 * @param workers          worker processes, each a camel-main JVM of its own
 * @param tasksPerSecond   tasks offered per second, evenly
 * @param durations        the work of a task (a delay taken from its input): weighted ranges, log-uniform within each
 * @param routeFailures    the share of tasks whose route fails them (SendTaskFailure with a route error, not retried)
 * @param restartEvery     one restart of a worker this often (0: none)
 * @param killShare        the share of restarts that are a SIGKILL, spread evenly (0.25: the 4th, 8th...)
 * @param keepOne          whether the first worker lives through the whole run, so that its heap is seen over it
 * @param hold             how long the stand-in holds a poll without a task (60 s on AWS)
 * @param heartbeatSeconds the tasks' HeartbeatSeconds, enforced by the stand-in
 * @param heartbeatPeriod  the workers' heartbeatPeriod
 * @param bucket           each API's quota bucket (GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat)
 * @param refillPerSecond  its refill per second; the workers share each bucket as a fleet of one account does
 * @param errors5xx        the share of calls answered 500 InternalFailure or 503 ServiceUnavailable, not processed
 * @param resets           the share of calls whose connection is reset (half before the call is processed, half after
 *                         for answers: the reply is lost, not the answer)
 * @param slow             the share of answers whose reply comes {@code slowBy} late
 * @param slowBy           how late a slow reply is
 * @param retries          how often a task failed with WorkerStopped or WorkerLost is offered again, as a Retry does
 * @param retryInterval    after how long (the Retry's IntervalSeconds)
 * @param journal          whether the workers run with a task journal ({@code journalDirectory}, issue 31)
 * @param grace            Kubernetes' terminationGracePeriodSeconds: how long a SIGTERM may take before SIGKILL
 * @param minPollers       the workers' concurrentPollers
 * @param maxPollers       the workers' maxConcurrentPollers
 * @param maxTasks         the workers' maxConcurrentTasks
 * @param workerHeap       each worker's -Xmx
 * @param warmup           how long after the first offer the fleet is still warming up (fresh JVMs compiling): left
 *                         out of the answer rate, as the benchmark's warm-up is
 * @param settle           how long after a restarted worker's first poll the fleet is counted as restarting still
 * @param lostWithin       how soon after its start a worker must fail a killed worker's tasks as lost (journal on)
 * @param progressEvery    a progress line this often
 * @param statsEvery       how often each worker logs its heap and threads
 * @param liveHeapEvery    how often that line follows a full collection (its heap is then the live heap)
 * @param seed             the seed of the task durations and of which tasks the route fails (faults are drawn apart)
 * @param out              where the run writes its logs, table and picture (a folder of its own under it)
 */
public record SoakSettings(double minutes, int workers, double tasksPerSecond, List<DurationRange> durations,
        double routeFailures, Duration restartEvery, double killShare, boolean keepOne, Duration hold,
        int heartbeatSeconds, Duration heartbeatPeriod, int bucket, double refillPerSecond, double errors5xx,
        double resets, double slow, Duration slowBy, int retries, Duration retryInterval, boolean journal,
        int grace, int minPollers, int maxPollers, int maxTasks, String workerHeap, Duration warmup, Duration settle,
        Duration lostWithin, Duration progressEvery, Duration statsEvery, Duration liveHeapEvery, long seed,
        Path out) {

    /**
     * Kubernetes' grace the activity page recommends (aws-sfn-activity-component.adoc, "What to set"): the larger of
     * Camel's shutdown timeout (45 s by default, which the workers keep) and the 60 s a poll is held, plus 40 (the
     * stop's deadline adds 30, and the JVM gets 10 to end).
     */
    public static final int RECOMMENDED_GRACE_SECONDS = 100;

    /** Work from milliseconds to tens of seconds: mostly short, a fifth of a second or more, one in a hundred long. */
    public static final String DEFAULT_DURATIONS = "5ms-500ms:80,500ms-5s:19,10s-30s:1";

    /** The default run: 10 minutes, 3 workers on us-east-1's quota at 90 % of its refill, faults on. */
    public static SoakSettings fromSystemProperties() {
        Map<String, String> values = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("soak."))
                .forEach(name -> values.put(name.substring("soak.".length()), System.getProperty(name)));
        return of(values);
    }

    /** The settings of these values (by the names of the {@code soak.*} properties, without {@code soak.}), else the defaults. */
    public static SoakSettings of(Map<String, String> values) {
        Values v = new Values(values);
        return v.settings();
    }

    private record Values(Map<String, String> values) {

        SoakSettings settings() {
            return new SoakSettings(
                number("minutes", 10),
                (int) number("workers", 3),
                number("tasksPerSecond", 450),
                DurationRange.parseAll(text("durations", DEFAULT_DURATIONS)),
                number("routeFailures", 0.02),
                duration("restartEvery", "30s"),
                number("killShare", 0.25),
                flag("keepOne", true),
                duration("hold", "60s"),
                (int) number("heartbeatSeconds", 30),
                duration("heartbeatPeriod", "2s"),
                (int) number("bucket", 3000),
                number("refill", 500),
                number("errors5xx", 0.02),
                number("resets", 0.01),
                number("slow", 0.01),
                duration("slowBy", "1500ms"),
                (int) number("retries", 3),
                duration("retryInterval", "1s"),
                flag("journal", true),
                (int) number("grace", RECOMMENDED_GRACE_SECONDS),
                (int) number("minPollers", 4),
                (int) number("maxPollers", 16),
                (int) number("maxTasks", 400),
                text("workerHeap", "256m"),
                duration("warmup", "60s"),
                duration("settle", "10s"),
                duration("lostWithin", "15s"),
                duration("progressEvery", "60s"),
                duration("statsEvery", "5s"),
                duration("liveHeapEvery", "30s"),
                (long) number("seed", 20260533),
                Path.of(text("out", "target/soak")));
        }

        private String text(String name, String otherwise) {
            String value = values.get(name);
            return value == null || value.isBlank() ? otherwise : value.trim();
        }

        private double number(String name, double otherwise) {
            String value = text(name, null);
            return value == null ? otherwise : Double.parseDouble(value);
        }

        /** on, off, true, false, yes, no. */
        private boolean flag(String name, boolean otherwise) {
            String value = text(name, null);
            if (value == null) {
                return otherwise;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new IllegalArgumentException("soak." + name + " is on or off, not " + value);
            };
        }

        private Duration duration(String name, String otherwise) {
            return parseDuration(text(name, otherwise));
        }
    }

    public Duration offerTime() {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    /** Whether the {@code n}th restart (from 0) is a SIGKILL: kills spread evenly at {@link #killShare}. */
    public boolean isKill(int n) {
        return Math.floor((n + 1) * killShare + 1e-9) > Math.floor(n * killShare + 1e-9);
    }

    /** The longest task the durations allow. */
    public Duration longestTask() {
        return durations.stream().map(DurationRange::to).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The settings as lines of {@code name = value}, for the report. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "offers %.1f min at %.0f tasks/s; work %s; %.0f %% failed by the route",
                minutes, tasksPerSecond, DurationRange.describeAll(durations), routeFailures * 100));
        lines.add(String.format(Locale.ROOT, "%d workers (polls %d to %d, at most %d tasks, heartbeat every %s, heap %s)%s",
                workers, minPollers, maxPollers, maxTasks, seconds(heartbeatPeriod), workerHeap,
                keepOne && workers > 1 ? "; the first one lives through the run" : ""));
        lines.add(String.format(Locale.ROOT, "a restart every %s, %.0f %% of them SIGKILL; SIGTERM's grace %d s; journal %s",
                seconds(restartEvery), killShare * 100, grace, journal ? "on" : "off"));
        lines.add(String.format(Locale.ROOT, "stand-in: polls held %s, HeartbeatSeconds %d, quota %d + %.0f/s per API, "
                                             + "%.1f %% 5xx, %.1f %% resets, %.1f %% slow by %s, Retry %d x after %s",
                seconds(hold), heartbeatSeconds, bucket, refillPerSecond, errors5xx * 100, resets * 100, slow * 100,
                seconds(slowBy), retries, seconds(retryInterval)));
        return lines;
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 3m}; a plain number is seconds. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 2))));
        }
        if (value.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60_000));
        }
        if (value.endsWith("s")) {
            value = value.substring(0, value.length() - 1);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    /** A range of task durations and its weight. */
    public record DurationRange(Duration from, Duration to, double weight) {

        static List<DurationRange> parseAll(String text) {
            List<DurationRange> ranges = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] rangeAndWeight = part.trim().split(":");
                String[] bounds = rangeAndWeight[0].split("-");
                ranges.add(new DurationRange(parseDuration(bounds[0]), parseDuration(bounds[bounds.length - 1]),
                        rangeAndWeight.length > 1 ? Double.parseDouble(rangeAndWeight[1]) : 1));
            }
            return List.copyOf(ranges);
        }

        static String describeAll(List<DurationRange> ranges) {
            double total = ranges.stream().mapToDouble(DurationRange::weight).sum();
            return String.join(", ", ranges.stream().map(r -> String.format(Locale.ROOT, "%.0f %% %s-%s",
                    r.weight * 100 / total, seconds(r.from), seconds(r.to))).toList());
        }

        /** A duration drawn from the weighted ranges, log-uniform within the range drawn. */
        static long drawMillis(List<DurationRange> ranges, Random random) {
            double total = ranges.stream().mapToDouble(DurationRange::weight).sum();
            double pick = random.nextDouble() * total;
            DurationRange range = ranges.get(ranges.size() - 1);
            for (DurationRange candidate : ranges) {
                if (pick < candidate.weight) {
                    range = candidate;
                    break;
                }
                pick -= candidate.weight;
            }
            double low = Math.log(Math.max(1, range.from.toMillis()));
            double high = Math.log(Math.max(1, range.to.toMillis()));
            return Math.round(Math.exp(low + random.nextDouble() * (high - low)));
        }
    }
}
