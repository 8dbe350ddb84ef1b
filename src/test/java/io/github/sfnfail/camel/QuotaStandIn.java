package io.github.sfnfail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Step Functions' SendTaskFailure quota on loopback: a token bucket of a given size refilled at a given rate, shared by
 * every caller; a call that finds it empty gets 400 ThrottlingException, as from AWS. Counts what landed, per token.
 */
final class QuotaStandIn implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"taskToken\":\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final double bucketSize;
    private final double refillPerSecond;
    private double tokens;
    private long lastRefill = System.nanoTime();
    private final Map<String, AtomicInteger> landed = new ConcurrentHashMap<>();
    private final AtomicLong throttled = new AtomicLong();

    QuotaStandIn(int bucketSize, int refillPerSecond) throws IOException {
        this.bucketSize = bucketSize;
        this.refillPerSecond = refillPerSecond;
        this.tokens = bucketSize;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.createContext("/", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many times each token's report landed. */
    Map<String, Integer> landed() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        landed.forEach((token, count) -> copy.put(token, count.get()));
        return copy;
    }

    long throttled() {
        return throttled.get();
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

    private void answer(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] answer;
        int status;
        if (take()) {
            Matcher token = TOKEN.matcher(body);
            landed.computeIfAbsent(token.find() ? token.group(1) : "?", t -> new AtomicInteger()).incrementAndGet();
            status = 200;
            answer = "{}".getBytes(StandardCharsets.UTF_8);
        } else {
            throttled.incrementAndGet();
            status = 400;
            answer = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "quota-" + status);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
