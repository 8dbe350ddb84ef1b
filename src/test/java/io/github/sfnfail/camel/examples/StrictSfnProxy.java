package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Forwards SendTaskFailure to the emulator, but answers a second report for a task already failed through it with 400
 * TaskTimedOut, as AWS does (the emulator answers 200): duplicates then show as they would in production. Counts the
 * reports that landed and the duplicates refused, per token.
 */
final class StrictSfnProxy implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"taskToken\":\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final Map<String, AtomicInteger> landed = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();

    StrictSfnProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many reports landed per token (a duplicate refused with TaskTimedOut does not count). */
    Map<String, Integer> landed() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        landed.forEach((token, count) -> copy.put(token, count.get()));
        return copy;
    }

    int duplicatesRefused() {
        return duplicates.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Matcher token = TOKEN.matcher(new String(body, StandardCharsets.UTF_8));
        String key = token.find() ? token.group(1) : null;
        if (key != null && landed.containsKey(key)) {
            duplicates.incrementAndGet();
            answer(exchange, 400, "{\"__type\":\"TaskTimedOut\",\"message\":\"Task Timed Out: "
                                  + "'Provided task does not exist anymore'\"}");
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : new String[] { "Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date" }) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (key != null && response.statusCode() == 200) {
                landed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            answer(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, 503, "");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
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
