package io.github.sfnfail.camel;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import io.github.sfnfail.camel.examples.LoopbackSfnServer;

/**
 * Step Functions' SendTaskFailure or SendTaskSuccess quota on loopback: a token bucket of a given size refilled at a given rate, shared by
 * every caller; a call that finds it empty gets 400 ThrottlingException, as from AWS (and, for a noisy account, a
 * share of calls at random). Counts what landed, per token.
 */
final class QuotaStandIn extends LoopbackSfnServer {

    private final double bucketSize;
    private final double refillPerSecond;
    private final double throttledAtRandom;
    private final Random random = new Random(20261126);
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicInteger admitted = new AtomicInteger();
    private volatile long bucketfulAdmittedAt;
    private double tokens;
    private long lastRefill = System.nanoTime();

    /**
     * @param throttledAtRandom the share of calls throttled at random, whatever the bucket holds (a noisy account)
     */
    QuotaStandIn(int bucketSize, int refillPerSecond, double throttledAtRandom) throws IOException {
        super(8);
        this.bucketSize = bucketSize;
        this.refillPerSecond = refillPerSecond;
        this.throttledAtRandom = throttledAtRandom;
        this.tokens = bucketSize;
    }

    long throttled() {
        return throttled.get();
    }

    /**
     * When (System.nanoTime()) the first bucketful of calls had been admitted, 0 before. The bucket admits those calls
     * however fast they come, so the time they took is how fast the callers send on this machine, quota aside.
     */
    long bucketfulAdmittedAt() {
        return bucketfulAdmittedAt;
    }

    @Override
    protected void answer(HttpExchange exchange, byte[] body) throws IOException {
        if (take()) {
            if (admitted.incrementAndGet() == (int) bucketSize) {
                bucketfulAdmittedAt = System.nanoTime();
            }
            countLanded(taskToken(body));
            respond(exchange, 200, "{}");
        } else {
            throttled.incrementAndGet();
            respond(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        }
    }

    private synchronized boolean take() {
        if (random.nextDouble() < throttledAtRandom) {
            return false;
        }
        long now = System.nanoTime();
        tokens = Math.min(bucketSize, tokens + (now - lastRefill) * refillPerSecond / TimeUnit.SECONDS.toNanos(1));
        lastRefill = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
