package io.github.sfnfail.camel;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * On-demand benchmark ({@code mvn -B test-compile exec:exec@benchmark}), not a test: prints calls per second of the raw
 * SDK call and of the same call through a Camel route, against a minimal Vert.x server on loopback answering {@code {}},
 * and the component's own cost per report. Warm-up and measuring times: -Dbench.warmup=15 -Dbench.measure=10 (seconds).
 */
public final class SendTaskFailureBenchmark {

    private static final String TOKEN = "AAAAKgAAAAIAAAAAAAAAAfMz+bW9x/Qh3nY5Xr0a+Lk2pPq8TvS4c1Zd/Example+Token/Shape".repeat(8);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 15));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.measure", 10));

    private final PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        new SendTaskFailureBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response()
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("x-amzn-RequestId", "bench")
                        .end("{}")))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        String endpoint = "http://127.0.0.1:" + server.actualPort();
        out.printf(Locale.ROOT, "SendTaskFailure benchmark: %d cores, Java %s, warm-up %d s and %d s measured per case%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), WARMUP.toSeconds(),
                MEASURE.toSeconds());
        out.println("(CPU per call is the whole JVM's: client, Camel and the loopback server together)");

        microbenchmarks();
        quotaShapes();

        SfnAsyncClient client = SfnAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "bench")))
                .endpointOverride(URI.create(endpoint)).build();
        SendTaskFailureRequest request = SendTaskFailureRequest.builder().taskToken(TOKEN).error("Bench").cause("c").build();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("benchClient", client);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fail").to("aws-sfn-fail:bench?error=Bench&cause=c");
                }
            });
            camel.start();
            AsyncProducer producer = camel.getEndpoint("direct:fail").createAsyncProducer();
            producer.start();
            for (int inFlight : new int[] { 1, 64 }) {
                throughput("raw SDK SfnAsyncClient", inFlight, () -> client.sendTaskFailure(request).thenApply(r -> null));
                throughput("Camel direct -> aws-sfn-fail", inFlight, () -> {
                    Exchange exchange = new DefaultExchange(camel);
                    exchange.getMessage().setHeader(SfnFailConstants.TASK_TOKEN, TOKEN);
                    CompletableFuture<Object> done = new CompletableFuture<>();
                    producer.process(exchange, doneSync -> {
                        if (exchange.getException() != null) {
                            done.completeExceptionally(exchange.getException());
                        } else {
                            done.complete(null);
                        }
                    });
                    return done;
                });
            }
            producer.stop();
        }
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Bursts beyond the SendTaskFailure quota, with default options, against a token bucket on loopback. */
    private void quotaShapes() throws Exception {
        out.printf(Locale.ROOT, "%n%-50s %8s %9s %7s %10s %7s %6s%n", "quota burst (default options)", "floor s",
                "landed s", "xfloor", "throttled", "failed", "twice");
        for (QuotaBurst burst : QuotaBurst.shapes()) {
            QuotaBurst.Figures figures = burst.run();
            double floor = figures.floorSeconds(burst);
            out.printf(Locale.ROOT, "%-50s %8.1f %9.1f %7.2f %5.2f/rep %7d %6d%n", burst, floor, figures.seconds(),
                    figures.seconds() / floor, figures.throttledPerReport(), figures.failed(), figures.duplicates());
        }
        out.println();
    }

    /** The component's own work per report, without any I/O. */
    private void microbenchmarks() {
        CamelContext camel = new DefaultCamelContext();
        SfnFailConfiguration configuration = new SfnFailConfiguration();
        TaskFailureRequestFactory factory = new TaskFailureRequestFactory(configuration, new ReportCounters());
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(SfnFailConstants.TASK_TOKEN, TOKEN);
        exchange.getMessage().setHeader(SfnFailConstants.ERROR, "OrderRejected");
        exchange.getMessage().setHeader(SfnFailConstants.CAUSE, "Order o-1 asks for 0 of SKU-1");
        perOperation("request from headers, checked", () -> factory.create(exchange));

        Exchange failed = new DefaultExchange(camel);
        failed.getMessage().setHeader(SfnFailConstants.TASK_TOKEN, TOKEN);
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, nested());
        perOperation("request with Lambda-style cause derived from a 3-deep exception", () -> factory.create(failed));
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
        long end = start + MEASURE.toNanos() / 2;
        while (System.nanoTime() < end) {
            blackhole += operation.get().hashCode();
            operations++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        out.printf(Locale.ROOT, "%-66s %9.2f µs/op %9d bytes/op  (%d)%n", name, elapsed / 1000.0 / operations,
                allocated / operations, blackhole & 1);
    }

    private void throughput(String name, int inFlight, Supplier<CompletableFuture<Object>> call) throws Exception {
        run(call, inFlight, WARMUP);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long calls = run(call, inFlight, MEASURE);
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        out.printf(Locale.ROOT, "%-30s %3d in flight %9.0f calls/s %8.1f µs CPU/call%n", name, inFlight,
                calls * 1e9 / elapsed, cpu / 1000.0 / calls);
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
}
