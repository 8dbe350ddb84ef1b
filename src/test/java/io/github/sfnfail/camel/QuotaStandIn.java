package io.github.sfnfail.camel;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import io.github.sfnfail.camel.examples.LoopbackSfnServer;

/**
 * Step Functions' SendTaskFailure quota on loopback: a token bucket of a given size refilled at a given rate, shared by
 * every caller; a call that finds it empty gets 400 ThrottlingException, as from AWS. Counts what landed, per token.
 */
final class QuotaStandIn extends LoopbackSfnServer {

    private final double bucketSize;
    private final double refillPerSecond;
    private final AtomicLong throttled = new AtomicLong();
    private double tokens;
    private long lastRefill = System.nanoTime();

    QuotaStandIn(int bucketSize, int refillPerSecond) throws IOException {
        super(8);
        this.bucketSize = bucketSize;
        this.refillPerSecond = refillPerSecond;
        this.tokens = bucketSize;
    }

    long throttled() {
        return throttled.get();
    }

    @Override
    protected void answer(HttpExchange exchange, byte[] body) throws IOException {
        if (take()) {
            countLanded(taskToken(body));
            respond(exchange, 200, "{}");
        } else {
            throttled.incrementAndGet();
            respond(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        }
    }

    private synchronized boolean take() {
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
