package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.ThrottlePacer;
import io.github.sfnfail.camel.fail.FailureRequestFactory;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.observe.AnswerCounters;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/**
 * On-demand benchmark ({@code mvn -B test-compile exec:exec@benchmark}), not a test. Prints, and sums up in a Markdown
 * table at the end:
 * <ul>
 * <li>the component's own work per report (building and checking the request), without I/O;</li>
 * <li>for each answer (failure report, success report, heartbeat), the component against the raw SDK call on the same
 * client and loopback server, alternating the two (ABAB...) over several rounds after a warm-up, as medians with
 * min-max, and the ratio of their CPU per report;</li>
 * <li>bursts beyond the SendTaskFailure and SendTaskSuccess quotas with default options: time against the quota's
 * floor, throttled calls per report;</li>
 * <li>cold start: from a fresh JVM to the first report on the wire, for a camel-main application with the component,
 * a plain Java main with the same SDK client, and the camel-main application without either, over several runs;</li>
 * <li>heap per report in flight, with 10,000 reports in flight against a server that never answers.</li>
 * </ul>
 * Settings (system properties): bench.warmup (seconds per in-flight setting, default 25: the JIT settles in about
 * that), bench.measure (seconds per case and round, default 5), bench.rounds (default 5), bench.coldStarts (default 5).
 */
public final class TaskCallbackBenchmark {

    private static final String BENCH_ARN = "arn:aws:states:us-east-1:123456789012:activity:bench";
    private static final String TOKEN = "AAAAKgAAAAIAAAAAAAAAAfMz+bW9x/Qh3nY5Xr0a+Lk2pPq8TvS4c1Zd/Example+Token/Shape".repeat(8);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 25));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.measure", 5));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int COLD_STARTS = Integer.getInteger("bench.coldStarts", 5);
    private static final List<String> ONLY = Arrays.asList(System.getProperty("bench.only",
            "own,failure,success,heartbeat,heap,coldstart,activity,journal,quota").split(","));
    private static final int IN_FLIGHT_FOR_HEAP = 10_000;
    private static final String OUTPUT = "{\"orderId\":\"o-1\",\"reserved\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}";

    private final PrintStream out = System.out;
    private final List<String> summary = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new TaskCallbackBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        out.printf(Locale.ROOT, "Task callback benchmark: %d cores, %s %s, Java %s, AWS SDK %s, Camel %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), VersionInfo.SDK_VERSION, new DefaultCamelContext().getVersion());
        out.printf(Locale.ROOT, "warm-up %d s per setting, %d rounds of %d s per case, heap max %d MB%n%n",
                WARMUP.toSeconds(), ROUNDS, MEASURE.toSeconds(), Runtime.getRuntime().maxMemory() >> 20);

        if (ONLY.contains("own")) {
            ownWork();
        }
        Vertx vertx = Vertx.vertx();
        try {
            if (ONLY.contains("failure")) {
                componentAgainstRawSdk(vertx, "failure report", "aws-sfn-fail:bench?error=Bench&cause=c", null,
                        client -> client.sendTaskFailure(SendTaskFailureRequest.builder().taskToken(TOKEN)
                                .error("Bench").cause("c").build()));
            }
            if (ONLY.contains("success")) {
                componentAgainstRawSdk(vertx, "success report", "aws-sfn-success:bench", OUTPUT,
                        client -> client.sendTaskSuccess(SendTaskSuccessRequest.builder().taskToken(TOKEN)
                                .output(OUTPUT).build()));
            }
            if (ONLY.contains("heartbeat")) {
                componentAgainstRawSdk(vertx, "heartbeat", "aws-sfn-heartbeat:bench", null,
                        client -> client.sendTaskHeartbeat(SendTaskHeartbeatRequest.builder().taskToken(TOKEN)
                                .build()));
            }
            if (ONLY.contains("heap")) {
                heapPerReportInFlight(vertx);
            }
            if (ONLY.contains("coldstart")) {
                coldStart(vertx);
            }
            if (ONLY.contains("activity")) {
                activityConsumer();
            }
            if (ONLY.contains("journal")) {
                journalCost();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (ONLY.contains("quota")) {
            quotaBursts();
        }

        out.println("\n| measure | figure |\n|---|---|");
        summary.forEach(line -> out.println("| " + line + " |"));
    }

    /** The component's own work per report, without any I/O. */
    private void ownWork() {
        CamelContext camel = new DefaultCamelContext();
        FailureRequestFactory factory = new FailureRequestFactory(new SfnFailConfiguration(), new AnswerCounters());
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
        exchange.getMessage().setHeader(SfnConstants.ERROR, "OrderRejected");
        exchange.getMessage().setHeader(SfnConstants.CAUSE, "Order o-1 asks for 0 of SKU-1");
        perOperation("request from headers, checked", () -> factory.create(exchange));

        Exchange failed = new DefaultExchange(camel);
        failed.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, nested());
        perOperation("request with a Lambda-style cause from a 3-deep exception", () -> factory.create(failed));
    }

    private void perOperation(String name, Supplier<Object> operation) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long blackhole = 0;
        long warmupEnd = System.nanoTime() + WARMUP.toNanos() / 3;
        while (System.nanoTime() < warmupEnd) {
            blackhole += operation.get().hashCode();
        }
        long operations = 0;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        long end = start + MEASURE.toNanos();
        while (System.nanoTime() < end) {
            blackhole += operation.get().hashCode();
            operations++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        out.printf(Locale.ROOT, "%-58s %8.2f µs/op %8d bytes/op  (%d)%n", name, elapsed / 1000.0 / operations,
                allocated / operations, blackhole & 1);
        summary.add(String.format(Locale.ROOT, "own work: %s | %.2f µs, %d bytes allocated", name,
                elapsed / 1000.0 / operations, allocated / operations));
    }

    /** A and B on the same client and server, alternating, so that drift and JIT phases hit both alike. */
    /**
     * @param uri  the component's endpoint (the benchmark's client is added to it)
     * @param body the message body of each exchange (a success report's output), or null
     * @param call the same call on the raw SDK client
     */
    private void componentAgainstRawSdk(Vertx vertx, String answer, String uri, Object body,
                                        Function<SfnAsyncClient, CompletableFuture<?>> call) throws Exception {
        String endpoint = startServer(vertx, false);
        SfnAsyncClient client = SfnAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "bench")))
                .endpointOverride(URI.create(endpoint)).build();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("benchClient", client);
            camel.start();
            AsyncProducer producer = camel.getEndpoint(uri + (uri.contains("?") ? "&" : "?")
                                                       + "awsSfnAsyncClient=#benchClient").createAsyncProducer();
            producer.start();
            Supplier<CompletableFuture<Object>> raw = () -> call.apply(client).thenApply(r -> null);
            Supplier<CompletableFuture<Object>> component = () -> report(camel, producer, body);
            out.printf(Locale.ROOT, "%n%-34s %-22s %-22s %s%n", answer + ": component vs raw SDK", "raw calls/s",
                    "component calls/s", "CPU per call, component/raw");
            for (int inFlight : new int[] { 1, 64 }) {
                long warmupEnd = System.nanoTime() + WARMUP.toNanos();
                while (System.nanoTime() < warmupEnd) {
                    run(raw, inFlight, Duration.ofSeconds(2));
                    run(component, inFlight, Duration.ofSeconds(2));
                }
                double[] rawRates = new double[ROUNDS];
                double[] componentRates = new double[ROUNDS];
                double[] rawCpu = new double[ROUNDS];
                double[] componentCpu = new double[ROUNDS];
                double[] cpuRatios = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    double[] a = measure(raw, inFlight);
                    double[] b = measure(component, inFlight);
                    rawRates[round] = a[0];
                    componentRates[round] = b[0];
                    rawCpu[round] = a[1];
                    componentCpu[round] = b[1];
                    cpuRatios[round] = b[1] / a[1];
                }
                String line = String.format(Locale.ROOT, "%-34s %-22s %-22s %s (%s vs %s µs)", inFlight + " in flight",
                        medianAndRange(rawRates, "%.0f"), medianAndRange(componentRates, "%.0f"),
                        medianAndRange(cpuRatios, "%.2f"), median(componentCpu), median(rawCpu));
                out.println(line);
                summary.add(String.format(Locale.ROOT,
                        "%s: component vs raw SDK, %d in flight (medians of %d alternating rounds, min-max) | raw %s "
                                                       + "calls/s, component %s calls/s; CPU per call component/raw %s "
                                                       + "(%s vs %s µs, JVM-wide)",
                        answer, inFlight, ROUNDS, medianAndRange(rawRates, "%.0f"), medianAndRange(componentRates, "%.0f"),
                        medianAndRange(cpuRatios, "%.2f"), median(componentCpu), median(rawCpu)));
            }
            producer.stop();
        }
        client.close();
    }

    /** Calls per second and CPU microseconds per call (the whole JVM's: client, Camel and the server together). */
    private static double[] measure(Supplier<CompletableFuture<Object>> call, int inFlight) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long calls = run(call, inFlight, MEASURE);
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        return new double[] { calls * 1e9 / elapsed, cpu / 1000.0 / calls };
    }

    private static CompletableFuture<Object> report(CamelContext camel, AsyncProducer producer, Object body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
        exchange.getMessage().setBody(body);
        CompletableFuture<Object> done = new CompletableFuture<>();
        producer.process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                done.completeExceptionally(exchange.getException());
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** 10,000 reports in flight against a server that never answers: the heap they hold, per report. */
    private void heapPerReportInFlight(Vertx vertx) throws Exception {
        AtomicInteger held = new AtomicInteger();
        String endpoint = startServer(vertx, true, held);
        try (CamelContext camel = new DefaultCamelContext()) {
            LoopbackComponents.pointAt(camel, endpoint, "us-east-1", "AKIABENCH", "bench", "aws-sfn-fail");
            camel.start();
            AsyncProducer producer = camel.getEndpoint("aws-sfn-fail:heap").createAsyncProducer();
            producer.start();
            report(camel, producer, null); // the client and its connection pool exist before the baseline
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long before = usedHeapAfterGc(memory);
            List<Exchange> exchanges = new ArrayList<>(IN_FLIGHT_FOR_HEAP);
            for (int i = 0; i < IN_FLIGHT_FOR_HEAP; i++) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN.substring(0, 400) + i);
                exchange.getMessage().setHeader(SfnConstants.ERROR, "OrderRejected");
                exchanges.add(exchange);
                producer.process(exchange, doneSync -> {
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (held.get() < ThrottlePacer.MAX_IN_FLIGHT && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long after = usedHeapAfterGc(memory);
            double perReport = (after - before) / (double) IN_FLIGHT_FOR_HEAP;
            out.printf(Locale.ROOT, "%nheap per report in flight: %.0f bytes (%d reports: %d on the wire, the rest "
                                    + "waiting their turn; exchanges with a 400-character token included)%n",
                    perReport, exchanges.size(), held.get());
            summary.add(String.format(Locale.ROOT, "heap per report in flight (%,d in flight, %d on the wire) | %.1f KB",
                    IN_FLIGHT_FOR_HEAP, held.get(), perReport / 1024));
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The activity consumer against a loopback stand-in that long-polls as AWS does: short tasks against a raw SDK loop
     * on the same client (which warms the JIT up for the rest); a thousand tasks of one second each held on few polls;
     * polls that follow a burst (1 to 16, and back); and the idle cost of 100 open polls (threads, heap, CPU while
     * nothing happens).
     */
    private void activityConsumer() throws Exception {
        // the short tasks warm the JIT up for the rest, which measure once
        shortTasksAgainstRawSdk();
        aThousandTasksOfOneSecond();
        pollsFollowABurst();
        idlePolls();
    }

    private void idlePolls() throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (ActivityStandIn sfn = new ActivityStandIn(); CamelContext camel = new DefaultCamelContext()) {
            LoopbackComponents.pointAt(camel, sfn.url(), "us-east-1", "AKIABENCH", "bench", "aws-sfn-activity");
            camel.start();
            Set<String> threadsBefore = threadNames();
            long heapBefore = usedHeapAfterGc(memory);
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=100").routeId("idle")
                            .setBody(constant("{}"));
                }
            });
            while (sfn.openPolls() < 100) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            long heapIdle = usedHeapAfterGc(memory) - heapBefore;
            Set<String> added = threadNames();
            added.removeAll(threadsBefore);
            long cpuBefore = os.getProcessCpuTime();
            Thread.sleep(MEASURE.toMillis());
            double idleCpu = (os.getProcessCpuTime() - cpuBefore) / 1e6 / MEASURE.toMillis() * 100;
            out.printf(Locale.ROOT, "%nactivity consumer, 100 open polls idle: %d threads added %s, %.1f KB heap per "
                                    + "poll (the stand-in's held request included), %.2f %% of one core (JVM-wide, the "
                                    + "stand-in included)%n", added.size(), added, heapIdle / 1024.0 / 100, idleCpu);
            summary.add(String.format(Locale.ROOT, "activity consumer idle, 100 open polls | %d threads added, "
                                                   + "%.1f KB heap per poll (the stand-in's held request included), "
                                                   + "%.2f %% of one core", added.size(), heapIdle / 1024.0 / 100,
                    idleCpu));
            sfn.answerPollsAtOnce();
        }
    }

    /** From 1 open poll to 16 under a burst of 400 tasks, and back as the polls come back empty. */
    private void pollsFollowABurst() throws Exception {
        try (ActivityStandIn sfn = new ActivityStandIn(); CamelContext camel = new DefaultCamelContext()) {
            LoopbackComponents.pointAt(camel, sfn.url(), "us-east-1", "AKIABENCH", "bench", "aws-sfn-activity");
            sfn.countAnswersOnly();
            camel.start();
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=1&maxConcurrentPollers=16"
                         + "&maxConcurrentTasks=1000").routeId("burst")
                            .process(new OneSecondOfAsynchronousWork())
                            .setBody(constant("{\"done\":true}"));
                }
            });
            var endpoint = (io.github.sfnfail.camel.activity.SfnActivityEndpoint) camel.getRoute("burst").getEndpoint();
            while (sfn.openPolls() < 1) {
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            for (int i = 0; i < 400; i++) {
                sfn.offer("burst-task-" + i, "{\"n\":" + i + "}");
            }
            while (endpoint.getPollsOpen() < 16 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(1);
            }
            double toSixteen = (System.nanoTime() - start) / 1e9;
            while (sfn.answerCount("SendTaskSuccess") < 400) {
                Thread.sleep(20);
            }
            // the burst is over: each round, every poll held comes back empty, as when its hold of 60 s ends
            int rounds = 0;
            long emptyBefore = endpoint.getEmptyPolls();
            while (endpoint.getPollersWanted() > 1 && rounds < 20) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (sfn.openPolls() < endpoint.getPollsOpen() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                sfn.releasePolls();
                rounds++;
                Thread.sleep(50);
            }
            // a poll answered empty at once waits a second before its poller polls again
            Thread.sleep(1500);
            out.printf(Locale.ROOT, "%nactivity consumer, polls following a burst of 400 tasks: 1 to 16 open polls in "
                                    + "%.2f s; back to %d wanted (%d open) after %d round(s) of empty answers, %d empty "
                                    + "polls in all%n", toSixteen, endpoint.getPollersWanted(), sfn.openPolls(), rounds,
                    endpoint.getEmptyPolls() - emptyBefore);
            summary.add(String.format(Locale.ROOT, "activity consumer, polls following a burst of 400 tasks (1 to 16) "
                                                   + "| 16 open in %.2f s; back to %d after %d round(s) of empty polls "
                                                   + "(each poll held comes back empty once a round)",
                    toSixteen, sfn.openPolls(), rounds));
            sfn.answerPollsAtOnce();
        }
    }

    /** 1,000 tasks of one second each, asynchronous, on 4 to 16 polls and 1,000 tasks in hand at most. */
    private void aThousandTasksOfOneSecond() throws Exception {
        try (ActivityStandIn sfn = new ActivityStandIn(); CamelContext camel = new DefaultCamelContext()) {
            LoopbackComponents.pointAt(camel, sfn.url(), "us-east-1", "AKIABENCH", "bench", "aws-sfn-activity");
            sfn.countAnswersOnly();
            camel.start();
            // a first, short run warms the JIT and starts what starts once
            for (String id : List.of("warm-up-1", "warm-up-2", "warm-up-3", "thousand")) {
                int tasks = id.startsWith("warm-up") ? 500 : 1000;
                long answeredBefore = sfn.answerCount("SendTaskSuccess");
                Set<String> threadsBefore = threadNames();
                camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                    @Override
                    public void configure() {
                        from("aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=4&maxConcurrentPollers=16"
                             + "&maxConcurrentTasks=1000&workerName=" + id).routeId(id)
                                .process(new OneSecondOfAsynchronousWork())
                                .setBody(constant("{\"done\":true}"));
                    }
                });
                while (sfn.openPolls() < 4) {
                    Thread.sleep(5);
                }
                sfn.mostPollsOpenSinceLastAsked();
                long start = System.nanoTime();
                for (int i = 0; i < tasks; i++) {
                    sfn.offer(id + "-task-" + i, "{\"n\":" + i + "}");
                }
                Set<String> added = new java.util.TreeSet<>();
                var endpoint = (io.github.sfnfail.camel.activity.SfnActivityEndpoint) camel.getRoute(id).getEndpoint();
                double allTaken = 0;
                // thread snapshots stop the JVM for a moment: one every 100 ms, not at every look at the counts
                long nextSnapshot = 0;
                while (sfn.answerCount("SendTaskSuccess") - answeredBefore < tasks) {
                    if (allTaken == 0 && endpoint.getTasksTaken() >= tasks) {
                        allTaken = (System.nanoTime() - start) / 1e9;
                    }
                    if (System.nanoTime() >= nextSnapshot) {
                        Set<String> now = threadNames();
                        now.removeAll(threadsBefore);
                        added.addAll(now);
                        nextSnapshot = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                    }
                    Thread.sleep(2);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                int mostPolls = sfn.mostPollsOpenSinceLastAsked();
                sfn.releasePolls();
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
                if (id.startsWith("warm-up")) {
                    continue;
                }
                out.printf(Locale.ROOT, "%nactivity consumer, 1,000 tasks of 1 s (asynchronous route), 4 to 16 polls, "
                                        + "1,000 in hand: all taken in %.2f s, all answered in %.2f s (%.2f× the ideal "
                                        + "1 s), open polls at most %d, threads added %d %s%n", allTaken, seconds,
                        seconds, mostPolls, added.size(), added);
                summary.add(String.format(Locale.ROOT, "activity consumer, 1,000 tasks of 1 s, asynchronous route, "
                                                       + "concurrentPollers=4, maxConcurrentPollers=16, "
                                                       + "maxConcurrentTasks=1000 | all taken in %.2f s, answered in "
                                                       + "%.2f s (%.2f× the ideal), open polls at most %d, %d threads "
                                                       + "added", allTaken, seconds, seconds, mostPolls, added.size()));
            }
            sfn.answerPollsAtOnce();
        }
    }

    /**
     * Short tasks: the consumer against a raw SDK loop doing what it does (GetActivityTask, then SendTaskSuccess, again)
     * with the same client and as many loops as the consumer has polls, alternately (ABAB) after a warm-up.
     */
    private void shortTasksAgainstRawSdk() throws Exception {
        int concurrency = 16;
        try (ActivityStandIn sfn = new ActivityStandIn()) {
            sfn.countAnswersOnly();
            sfn.handOutEndlessTasks("{\"n\":1}");
            SfnAsyncClient client = SfnAsyncClient.builder().region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH",
                            "bench")))
                    .endpointOverride(URI.create(sfn.url()))
                    .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
                            .maxConcurrency(concurrency + 50).readTimeout(Duration.ofSeconds(70)))
                    .build();
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.getRegistry().bind("benchClient", client);
                camel.start();
                String uri = "aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=" + concurrency
                             + "&clientConnections=" + (concurrency + 50) + "&awsSfnAsyncClient=#benchClient";
                long warmupEnd = System.nanoTime() + WARMUP.toNanos();
                while (System.nanoTime() < warmupEnd) {
                    rawActivityLoops(client, sfn, concurrency, Duration.ofSeconds(2));
                    consumerTasks(camel, uri, sfn, Duration.ofSeconds(2));
                }
                double[] rawRates = new double[ROUNDS];
                double[] consumerRates = new double[ROUNDS];
                double[] cpuRatios = new double[ROUNDS];
                double[] rawCpu = new double[ROUNDS];
                double[] consumerCpu = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    double[] a = rawActivityLoops(client, sfn, concurrency, MEASURE);
                    double[] b = consumerTasks(camel, uri, sfn, MEASURE);
                    rawRates[round] = a[0];
                    consumerRates[round] = b[0];
                    rawCpu[round] = a[1];
                    consumerCpu[round] = b[1];
                    cpuRatios[round] = b[1] / a[1];
                }
                out.printf(Locale.ROOT, "%nactivity consumer, short tasks, %d polls, against a raw SDK loop on the same "
                                        + "client: raw %s tasks/s, consumer %s tasks/s; CPU per task consumer/raw %s (%s "
                                        + "vs %s µs)%n", concurrency, medianAndRange(rawRates, "%.0f"),
                        medianAndRange(consumerRates, "%.0f"), medianAndRange(cpuRatios, "%.2f"), median(consumerCpu),
                        median(rawCpu));
                summary.add(String.format(Locale.ROOT, "activity consumer, short tasks, %d polls, against a raw SDK "
                                                       + "loop (GetActivityTask then SendTaskSuccess) on the same client "
                                                       + "(medians of %d alternating rounds, min-max) | raw %s tasks/s, "
                                                       + "consumer %s tasks/s; CPU per task consumer/raw %s (%s vs %s "
                                                       + "µs, JVM-wide)", concurrency, ROUNDS,
                        medianAndRange(rawRates, "%.0f"), medianAndRange(consumerRates, "%.0f"),
                        medianAndRange(cpuRatios, "%.2f"), median(consumerCpu), median(rawCpu)));
            }
            client.close();
        }
    }

    /**
     * What the file journal (journalDirectory) costs on short tasks: the consumer with and without it, alternately (ABAB)
     * after a warm-up, 16 polls on one client, each task written durably (fsync in batches) before its exchange starts.
     */
    private void journalCost() throws Exception {
        int concurrency = 16;
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("bench-journal");
        try (ActivityStandIn sfn = new ActivityStandIn()) {
            sfn.countAnswersOnly();
            sfn.handOutEndlessTasks("{\"n\":1}");
            try (CamelContext camel = new DefaultCamelContext()) {
                LoopbackComponents.pointAt(camel, sfn.url(), "us-east-1", "AKIABENCH", "bench", "aws-sfn-activity");
                camel.start();
                // a worker name each: a worker of one name outlives its route while its polls are open
                String plain = "aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=" + concurrency
                               + "&workerName=bench-plain";
                String journaled = "aws-sfn-activity:" + BENCH_ARN + "?concurrentPollers=" + concurrency
                                   + "&workerName=bench-journal&journalDirectory=" + directory;
                long warmupEnd = System.nanoTime() + WARMUP.toNanos();
                while (System.nanoTime() < warmupEnd) {
                    consumerTasks(camel, plain, sfn, Duration.ofSeconds(2));
                    consumerTasks(camel, journaled, sfn, Duration.ofSeconds(2));
                }
                double[] plainRates = new double[ROUNDS];
                double[] journalRates = new double[ROUNDS];
                double[] ratios = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    plainRates[round] = consumerTasks(camel, plain, sfn, MEASURE)[0];
                    journalRates[round] = consumerTasks(camel, journaled, sfn, MEASURE)[0];
                    ratios[round] = journalRates[round] / plainRates[round];
                }
                out.printf(Locale.ROOT, "%nactivity consumer, short tasks, %d polls, without and with the file journal: "
                                        + "%s and %s tasks/s, with/without %s%n", concurrency,
                        medianAndRange(plainRates, "%.0f"), medianAndRange(journalRates, "%.0f"),
                        medianAndRange(ratios, "%.2f"));
                summary.add(String.format(Locale.ROOT, "activity consumer, short tasks, %d polls, without and with the "
                                                       + "file journal (journalDirectory; medians of %d alternating "
                                                       + "rounds, min-max) | %s and %s tasks/s; with/without %s",
                        concurrency, ROUNDS, medianAndRange(plainRates, "%.0f"), medianAndRange(journalRates, "%.0f"),
                        medianAndRange(ratios, "%.2f")));
            }
        } finally {
            // the journal's files hold the (made-up) tokens of the run: nothing is left behind in the temp directory
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(directory)) {
                for (java.nio.file.Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Tasks per second and CPU microseconds per task of the consumer, run for this long. */
    private static double[] consumerTasks(CamelContext camel, String uri, ActivityStandIn sfn, Duration duration)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = sfn.answerCount("SendTaskSuccess");
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("short").setBody(constant("{\"done\":true}"));
            }
        });
        Thread.sleep(duration.toMillis());
        long answered = sfn.answerCount("SendTaskSuccess") - before;
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        // tasks the polls still bring are failed with WorkerStopped by the stop: not counted
        camel.getRouteController().stopRoute("short");
        camel.removeRoute("short");
        return new double[] { answered * 1e9 / elapsed, cpu / 1000.0 / answered };
    }

    /** The raw SDK's worker loop, as many at once: GetActivityTask, then SendTaskSuccess with its token, again. */
    private static double[] rawActivityLoops(SfnAsyncClient client, ActivityStandIn sfn, int loops, Duration duration)
            throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        GetActivityTaskRequest poll = GetActivityTaskRequest.builder().activityArn(BENCH_ARN).workerName("raw")
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(70))).build();
        long before = sfn.answerCount("SendTaskSuccess");
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(loops);
        for (int i = 0; i < loops; i++) {
            rawLoop(client, poll, end, done);
        }
        done.await();
        long answered = sfn.answerCount("SendTaskSuccess") - before;
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        return new double[] { answered * 1e9 / elapsed, cpu / 1000.0 / answered };
    }

    private static void rawLoop(SfnAsyncClient client, GetActivityTaskRequest poll, long end, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        client.getActivityTask(poll)
                .thenCompose(task -> client.sendTaskSuccess(SendTaskSuccessRequest.builder().taskToken(task.taskToken())
                        .output("{\"done\":true}").build()))
                .whenComplete((r, e) -> rawLoop(client, poll, end, done));
    }

    /** One second of work that holds no thread: the exchange goes on from a timer. */
    private static final class OneSecondOfAsynchronousWork implements org.apache.camel.AsyncProcessor {
        /** As an asynchronous client's I/O threads would, one per core: where the work's replies go on. */
        private static final java.util.concurrent.ScheduledExecutorService TIMER =
                java.util.concurrent.Executors.newScheduledThreadPool(Runtime.getRuntime().availableProcessors(),
                        work -> {
                            Thread thread = new Thread(work, "bench-work-timer");
                            thread.setDaemon(true);
                            return thread;
                        });

        @Override
        public boolean process(Exchange exchange, org.apache.camel.AsyncCallback callback) {
            TIMER.schedule(() -> callback.done(false), 1, TimeUnit.SECONDS);
            return false;
        }

        @Override
        public void process(Exchange exchange) {
            throw new UnsupportedOperationException("asynchronous only");
        }

        @Override
        public CompletableFuture<Exchange> processAsync(Exchange exchange) {
            throw new UnsupportedOperationException("asynchronous only");
        }
    }

    /** The threads alive now, but the stand-in's and the benchmark's own. */
    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !name.startsWith("stand-in") && !name.startsWith("bench-"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * From a fresh JVM to the first report on the wire: the camel-main application with the component; a plain Java
     * main doing the same with the SDK alone; the same camel-main application without the component or the SDK; and a
     * plain Java main posting with the JDK (the JVM's own start). Run in turn (ABCDABCD...) so that drift hits all
     * alike. What the component adds of its own is what is left once Camel's and the SDK's shares are taken off.
     */
    private void coldStart(Vertx vertx) throws Exception {
        AtomicLong firstReport = new AtomicLong();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            firstReport.compareAndSet(0, System.nanoTime());
            request.response().putHeader("Content-Type", "application/x-amz-json-1.0").end("{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        String endpoint = "http://127.0.0.1:" + server.actualPort();
        List<List<String>> apps = List.of(List.of(ColdStartApp.class.getName(), endpoint),
                List.of(RawSdkColdStartApp.class.getName(), endpoint),
                List.of(WithoutSdkColdStartApp.class.getName(), endpoint, "camel"),
                List.of(WithoutSdkColdStartApp.class.getName(), endpoint, "jdk"));
        double[][] seconds = new double[apps.size()][COLD_STARTS];
        for (int run = 0; run < COLD_STARTS; run++) {
            for (int app = 0; app < apps.size(); app++) {
                seconds[app][run] = coldStartOnce(apps.get(app), firstReport);
            }
        }
        server.close();
        double[] ratios = new double[COLD_STARTS];
        double[] own = new double[COLD_STARTS];
        for (int run = 0; run < COLD_STARTS; run++) {
            ratios[run] = seconds[0][run] / seconds[1][run];
            // component - JVM - SDK's share - Camel's share
            own[run] = seconds[0][run] - seconds[1][run] - seconds[2][run] + seconds[3][run];
        }
        String[] names = { "camel-main with the component", "plain Java main, the same SDK client",
            "camel-main alone (no SDK; JDK HTTP)", "plain Java main (JDK HTTP)" };
        out.printf(Locale.ROOT, "%ncold start, fresh JVM to the first report on the wire, over %d runs:%n", COLD_STARTS);
        for (int app = 0; app < apps.size(); app++) {
            out.printf(Locale.ROOT, "  %-40s %s s%n", names[app], medianAndRange(seconds[app], "%.2f"));
        }
        out.printf(Locale.ROOT, "  %-40s %s%n", "component/raw SDK", medianAndRange(ratios, "%.2f"));
        out.printf(Locale.ROOT, "  %-40s %s s%n", "the component's own (the rest)", medianAndRange(own, "%.2f"));
        summary.add(String.format(Locale.ROOT, "cold start, fresh JVM to first report on the wire (median of %d, "
                                               + "min-max) | camel-main with the component %s s; plain Java main with "
                                               + "the same SDK client %s s; ratio %s",
                COLD_STARTS, medianAndRange(seconds[0], "%.2f"), medianAndRange(seconds[1], "%.2f"),
                medianAndRange(ratios, "%.2f")));
        summary.add(String.format(Locale.ROOT, "cold start, where it goes | camel-main alone (no SDK) %s s; plain "
                                               + "Java main (JDK HTTP) %s s; the component's own, once the SDK's and "
                                               + "Camel's shares are taken off, %s s",
                medianAndRange(seconds[2], "%.2f"), medianAndRange(seconds[3], "%.2f"), medianAndRange(own, "%.2f")));
    }

    private static double coldStartOnce(List<String> app, AtomicLong firstReport) throws Exception {
        firstReport.set(0);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dlogback.configurationFile=src/test/resources/logback-examples.xml", "-cp",
                System.getProperty("java.class.path")));
        command.addAll(app);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (firstReport.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        if (firstReport.get() == 0) {
            throw new IllegalStateException(app.get(0) + " sent no report within 120 s");
        }
        return (firstReport.get() - start) / 1e9;
    }

    /** Bursts beyond the SendTaskFailure quota, with default options, against a token bucket on loopback. */
    private void quotaBursts() throws Exception {
        out.printf(Locale.ROOT, "%n%-50s %8s %9s %7s %10s %7s %6s%n", "quota burst (default options)", "floor s",
                "landed s", "xfloor", "throttled", "failed", "twice");
        List<QuotaBurst> bursts = new ArrayList<>(QuotaBurst.shapes());
        QuotaBurst.shapes().forEach(burst -> bursts.add(burst.through("aws-sfn-success")));
        // endpoints of one application on one quota share its pacer; with a key each they pace apart, as workers do
        QuotaBurst fleetMember = QuotaBurst.shapes().get(0);
        bursts.add(fleetMember.overEndpoints("4 endpoints, one quota: 1500 into bucket 200 + 100/s", 4, false));
        bursts.add(fleetMember.overEndpoints("4 endpoints, a key each: 1500 into bucket 200 + 100/s", 4, true));
        for (QuotaBurst burst : bursts) {
            QuotaBurst.Figures figures = burst.run();
            double floor = figures.floorSeconds(burst);
            out.printf(Locale.ROOT, "%-50s %8.1f %9.1f %7.2f %5.2f/rep %7d %6d%n", burst, floor, figures.seconds(),
                    figures.seconds() / floor, figures.throttledPerReport(), figures.failed(), figures.duplicates());
            summary.add(String.format(Locale.ROOT, "quota burst: %s | landed in %.1f s against a floor of %.1f s "
                                                   + "(%.2fx), %.2f throttled calls per report, %d failed, %d twice",
                    burst, figures.seconds(), floor, figures.seconds() / floor, figures.throttledPerReport(),
                    figures.failed(), figures.duplicates()));
        }
    }

    private static String startServer(Vertx vertx, boolean neverAnswer) throws Exception {
        return startServer(vertx, neverAnswer, new AtomicInteger());
    }

    /** A loopback server answering SendTaskFailure with {} at once, or holding every request unanswered. */
    private static String startServer(Vertx vertx, boolean neverAnswer, AtomicInteger held) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if (neverAnswer) {
                held.incrementAndGet();
                return;
            }
            request.body().onComplete(body -> request.response()
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("x-amzn-RequestId", "bench")
                    .end("{}"));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static long run(Supplier<CompletableFuture<Object>> call, int inFlight, Duration duration)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        LongAdder completed = new LongAdder();
        LongAdder failed = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            slots.acquire();
            call.get().whenComplete((r, e) -> {
                (e == null ? completed : failed).increment();
                slots.release();
            });
        }
        slots.acquire(inFlight);
        if (failed.sum() > 0) {
            throw new IllegalStateException(failed.sum() + " calls failed");
        }
        return completed.sum();
    }

    private static String median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.0f", sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
    }

    private static String medianAndRange(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median, sorted[0],
                sorted[sorted.length - 1]);
    }

    private static Exception nested() {
        try {
            try {
                try {
                    throw new java.net.SocketTimeoutException("read timed out");
                } catch (Exception e) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("stock service unreachable", e));
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not reserve stock for order o-1", e);
            }
        } catch (Exception e) {
            return e;
        }
    }
}
