package io.github.sfnfail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * A burst of reports (failure reports, or success reports) into a quota: the given number of workers (each its own
 * Camel context, with the component's default options) fire their reports at once into one shared bucket. Used by the
 * throttling test, which asserts its figures, and by the benchmark, which prints them.
 */
record QuotaBurst(String name, int bucketSize, int refillPerSecond, int workers, int reportsPerWorker,
                  double throttledAtRandom, String scheme, int endpointsPerWorker, boolean keyPerEndpoint) {

    QuotaBurst(String name, int bucketSize, int refillPerSecond, int workers, int reportsPerWorker) {
        this(name, bucketSize, refillPerSecond, workers, reportsPerWorker, 0, "aws-sfn-fail", 1, false);
    }

    QuotaBurst(String name, int bucketSize, int refillPerSecond, int workers, int reportsPerWorker,
               double throttledAtRandom) {
        this(name, bucketSize, refillPerSecond, workers, reportsPerWorker, throttledAtRandom, "aws-sfn-fail", 1, false);
    }

    /** The same burst of reports through another scheme (aws-sfn-success: SendTaskSuccess has a quota of its own). */
    QuotaBurst through(String otherScheme) {
        return new QuotaBurst(name, bucketSize, refillPerSecond, workers, reportsPerWorker, throttledAtRandom,
                otherScheme, endpointsPerWorker, keyPerEndpoint);
    }

    /**
     * The same burst, each worker's reports spread over several endpoints (their labels differ), with the same
     * credentials (they share the worker's pacer) or with an access key each (each paces alone, as workers do).
     */
    QuotaBurst overEndpoints(String otherName, int endpoints, boolean keyEach) {
        return new QuotaBurst(otherName, bucketSize, refillPerSecond, workers, reportsPerWorker, throttledAtRandom,
                scheme, endpoints, keyEach);
    }

    /** The shapes the test asserts and the benchmark prints. */
    static List<QuotaBurst> shapes() {
        return List.of(
                // one member of a fleet: its share of the quota refills slowly against its burst
                new QuotaBurst("fleet member: 1500 into bucket 200 + 100/s", 200, 100, 1, 1500),
                // us-east-1's documented quota itself
                new QuotaBurst("us-east-1 quota: 20000 into bucket 3000 + 500/s", 3000, 500, 1, 20_000),
                // three workers, each its own Camel context, sharing one account's bucket
                new QuotaBurst("3 workers x 500 sharing bucket 200 + 100/s", 200, 100, 3, 500));
    }

    @Override
    public String toString() {
        return scheme + ", " + name;
    }

    /**
     * What a burst did. {@code machineSeconds} is how long the reports would take at the pace the first bucketful went
     * out (the bucket admits those calls however fast they come), 0 when the burst never emptied the bucket.
     */
    record Figures(int reports, int failed, int landedTasks, int duplicates, long throttledCalls, double seconds,
                   double machineSeconds) {

        /** The time the quota itself needs: the burst beyond the bucket, at the refill rate. */
        double floorSeconds(QuotaBurst burst) {
            return Math.max(0, reports - burst.bucketSize()) / (double) burst.refillPerSecond();
        }

        /**
         * The time the burst needs at the slower of the quota and this machine: on a machine busy with other work the
         * callers send more slowly than the quota admits, and the pacer cannot be faster than the callers.
         */
        double expectedSeconds(QuotaBurst burst) {
            return Math.max(floorSeconds(burst), machineSeconds);
        }

        double throttledPerReport() {
            return throttledCalls / (double) reports;
        }
    }

    Figures run() throws Exception {
        try (QuotaStandIn quota = new QuotaStandIn(bucketSize, refillPerSecond, throttledAtRandom)) {
            List<CamelContext> contexts = new ArrayList<>();
            List<AsyncProducer> producers = new ArrayList<>();
            try {
                for (int w = 0; w < workers; w++) {
                    CamelContext context = new DefaultCamelContext();
                    LoopbackComponents.pointAt(context, quota.url(), "us-east-1", "AKIAQUOTASTANDIN0000",
                            "quota-stand-in-secret-key-0000000000000", scheme);
                    context.start();
                    contexts.add(context);
                    for (int e = 0; e < endpointsPerWorker; e++) {
                        String key = keyPerEndpoint ? "?accessKey=AKIAQUOTASTANDIN000" + e : "";
                        AsyncProducer producer = context.getEndpoint(scheme + ":worker" + w + "-endpoint" + e + key)
                                .createAsyncProducer();
                        producer.start();
                        producers.add(producer);
                    }
                }
                int reports = workers * reportsPerWorker;
                CountDownLatch done = new CountDownLatch(reports);
                List<Exchange> exchanges = new ArrayList<>(reports);
                long start = System.nanoTime();
                for (int n = 0; n < reportsPerWorker; n++) {
                    for (int w = 0; w < workers; w++) {
                        Exchange exchange = new DefaultExchange(contexts.get(w));
                        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN,
                                "AQCEAAAAKgAAAAMAAAAA-" + bucketSize + "-" + refillPerSecond + "-worker" + w + "-task" + n);
                        exchange.getMessage().setHeader(SfnConstants.ERROR, "OrderRejected");
                        exchange.getMessage().setBody("{\"order\":" + n + "}");
                        exchanges.add(exchange);
                        producers.get(w * endpointsPerWorker + n % endpointsPerWorker)
                                .process(exchange, doneSync -> done.countDown());
                    }
                }
                if (!done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(done.getCount() + " reports of " + name + " never completed");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Integer> landed = quota.landed();
                int failed = (int) exchanges.stream().filter(e -> e.getException() != null).count();
                int duplicates = (int) landed.values().stream().filter(count -> count > 1).count();
                long bucketfulAt = quota.bucketfulAdmittedAt();
                double machineSeconds = bucketfulAt == 0 ? 0
                        : (bucketfulAt - start) / 1e9 * reports / Math.min(bucketSize, reports);
                return new Figures(reports, failed, landed.size(), duplicates, quota.throttled(), seconds,
                        machineSeconds);
            } finally {
                for (AsyncProducer producer : producers) {
                    producer.stop();
                }
                for (CamelContext context : contexts) {
                    context.close();
                }
            }
        }
    }
}
