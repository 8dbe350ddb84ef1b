package io.github.sfnfail.camel.soak;

import java.io.FileReader;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A soak worker, as a process of its own: camel-main with one activity route whose work is a delay taken from the
 * task's input ({@code {"task":7,"ms":250,"fail":false}}), asynchronous so that a task in hand holds no thread; a task
 * marked {@code fail} is failed by the route with the error {@code SoakTaskFailed}, as an expected failure of the work
 * is. Its output names the task, so the stand-in sees that each answer is the task's own.
 * <p>
 * Every few seconds it prints one line the soak reads, with its heap and threads:
 * {@code SOAK-STATS worker=... uptimeMs=... heapUsed=... live=true|false threads=... inflight=... cpuMs=... taken=...}; a {@code live}
 * line follows a full collection, so its heap is what the worker holds.
 * <p>
 * {@code SoakWorker <properties file>}: the activity, the stand-in's URL, the worker name and the consumer's settings,
 * as {@link WorkerFleet} writes them. Ends on SIGTERM as camel-main does.
 */
public final class SoakWorker {

    /** The error of a task the route fails on purpose. */
    static final String ROUTE_ERROR = "SoakTaskFailed";

    private SoakWorker() {
    }

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        try (Reader reader = new FileReader(args[0])) {
            settings.load(reader);
        }
        Main main = new Main();
        main.addOverrideProperty("camel.main.name", settings.getProperty("process"));
        main.addOverrideProperty("camel.component.aws-sfn.region", "us-east-1");
        main.addOverrideProperty("camel.component.aws-sfn.access-key", "AKIASOAKWORKER");
        main.addOverrideProperty("camel.component.aws-sfn.secret-key", "soak-secret");
        main.addOverrideProperty("camel.component.aws-sfn.override-endpoint", "true");
        main.addOverrideProperty("camel.component.aws-sfn.uri-endpoint-override", settings.getProperty("url"));
        main.configure().addRoutesBuilder(new Routes(settings));
        main.run();
    }

    /** Thrown by the route for a task marked to fail: an expected failure, named for the state machine's Catch. */
    static final class RouteFailure extends Exception {
        RouteFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Routes extends RouteBuilder {

        private final Properties settings;
        private final AtomicLong samples = new AtomicLong();

        Routes(Properties settings) {
            this.settings = settings;
        }

        @Override
        public void configure() {
            onException(RouteFailure.class).handled(true)
                    .setHeader("CamelAwsSfnError", constant(ROUTE_ERROR))
                    .setHeader("CamelAwsSfnCause", simple("${exception.message}"));

            String journal = settings.getProperty("journalDirectory", "");
            from("aws-sfn-activity:" + settings.getProperty("arn")
                 + "?workerName=" + settings.getProperty("worker")
                 + "&concurrentPollers=" + settings.getProperty("minPollers")
                 + "&maxConcurrentPollers=" + settings.getProperty("maxPollers")
                 + "&maxConcurrentTasks=" + settings.getProperty("maxTasks")
                 + "&heartbeatPeriod=" + settings.getProperty("heartbeatPeriod")
                 + (journal.isEmpty() ? "" : "&journalDirectory=" + journal))
                    .routeId("soak-work")
                    .process(SoakWorker::readInput)
                    .delay(header("soakMs")).asyncDelayed()
                    .process(SoakWorker::finish);

            long statsEvery = Long.parseLong(settings.getProperty("statsEveryMs"));
            long liveEvery = Math.max(1, Long.parseLong(settings.getProperty("liveHeapEveryMs")) / statsEvery);
            String worker = settings.getProperty("process");
            from("timer:soak-stats?period=" + statsEvery)
                    .routeId("soak-stats")
                    .process(exchange -> stats(exchange, worker, samples.incrementAndGet() % liveEvery == 0));
        }
    }

    private static void readInput(Exchange exchange) {
        String input = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setHeader("soakTask", number(input, "task"));
        exchange.getMessage().setHeader("soakMs", number(input, "ms"));
        exchange.getMessage().setHeader("soakFail", input.contains("\"fail\":true"));
    }

    private static void finish(Exchange exchange) throws RouteFailure {
        long task = exchange.getMessage().getHeader("soakTask", Long.class);
        if (exchange.getMessage().getHeader("soakFail", Boolean.class)) {
            throw new RouteFailure("task " + task + " failed as its input asked");
        }
        exchange.getMessage().setBody("{\"task\":" + task + "}");
    }

    private static long number(String json, String name) {
        String key = "\"" + name + "\":";
        int start = json.indexOf(key) + key.length();
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json, start, end, 10);
    }

    private static void stats(Exchange exchange, String worker, boolean live) {
        if (live) {
            System.gc();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long cpuNanos = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1_000_000;
        System.out.printf(Locale.ROOT,
                "SOAK-STATS worker=%s uptimeMs=%d heapUsed=%d live=%s threads=%d inflight=%d cpuMs=%d taken=%d "
                + "pollsOpen=%d pollErrors=%s%n",
                worker, ManagementFactory.getRuntimeMXBean().getUptime(), heap.getUsed(), live,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                exchange.getContext().getInflightRepository().size(), cpuNanos / 1_000_000,
                activityEndpoints(exchange).mapToLong(SfnActivityEndpoint::getTasksTaken).sum(),
                activityEndpoints(exchange).mapToLong(SfnActivityEndpoint::getPollsOpen).sum(),
                activityEndpoints(exchange).map(endpoint -> endpoint.getActivityCounters().pollErrors().toString())
                        .collect(java.util.stream.Collectors.joining(",")).replace(" ", ""));
    }

    private static java.util.stream.Stream<SfnActivityEndpoint> activityEndpoints(Exchange exchange) {
        return exchange.getContext().getEndpoints().stream().filter(SfnActivityEndpoint.class::isInstance)
                .map(SfnActivityEndpoint.class::cast);
    }
}
