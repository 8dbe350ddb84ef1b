package io.github.sfnfail.camel.soak;

import java.util.concurrent.TimeUnit;

/** A quota as Step Functions keeps one per API and account: a bucket of calls refilled at a steady rate. */
final class TokenBucket {

    private final double size;
    private final double refillPerNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(int size, double refillPerSecond, long now) {
        this.size = size;
        this.refillPerNano = refillPerSecond / TimeUnit.SECONDS.toNanos(1);
        this.tokens = size;
        this.refilledAt = now;
    }

    /** Takes one call out of the bucket; false when it is empty (the call is throttled). */
    synchronized boolean take(long now) {
        if (now > refilledAt) {
            tokens = Math.min(size, tokens + (now - refilledAt) * refillPerNano);
            refilledAt = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
