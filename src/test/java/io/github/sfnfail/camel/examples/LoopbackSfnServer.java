package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Step Functions on a free loopback port that decides each SendTaskFailure itself (a quota, a strict
 * closed-task rule...) and counts the reports that landed, per task token.
 */
public abstract class LoopbackSfnServer implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"taskToken\":\"([^\"]+)\"");

    static {
        // answer at once, as a service does: without this, Nagle's algorithm and delayed ACKs add 40 ms to answers.
        // The JDK reads it once per JVM, when the first HttpServer starts: every stand-in sets it (ActivityStandIn too),
        // so that a test sees the same stand-in whichever test ran first in its JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, AtomicInteger> landed = new ConcurrentHashMap<>();

    protected LoopbackSfnServer(int threads) throws IOException {
        this.threads = Executors.newFixedThreadPool(threads);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            answer(exchange, body);
        });
        server.setExecutor(this.threads);
        server.start();
    }

    /** Answers one request, whose body is given. */
    protected abstract void answer(HttpExchange exchange, byte[] body) throws IOException;

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many reports landed per token. */
    public Map<String, Integer> landed() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        landed.forEach((token, count) -> copy.put(token, count.get()));
        return copy;
    }

    protected boolean hasLanded(String token) {
        return landed.containsKey(token);
    }

    protected void countLanded(String token) {
        landed.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
    }

    /** The task token of a SendTaskFailure body, or "?" when it has none. */
    protected static String taskToken(byte[] body) {
        Matcher token = TOKEN.matcher(new String(body, StandardCharsets.UTF_8));
        return token.find() ? token.group(1) : "?";
    }

    protected static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "loopback-" + status);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
