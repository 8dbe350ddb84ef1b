package io.github.sfnfail.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Step Functions on loopback: records each request and answers 200 with an empty result and a request
 * id, as SendTaskFailure does.
 */
public final class SfnStub implements AutoCloseable {

    /** A token shaped like a real one: long, base64-like, with + and / (which URL decoding would break). */
    public static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAd+x/yConsumer+Project/Token==" + "A".repeat(300);

    /** What reached the wire. */
    public record Request(String target, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestIds = new AtomicInteger();

    public SfnStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** The endpoint to give the component as uriEndpointOverride. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The request id of the n-th answer (from 1). */
    public static String requestId(int n) {
        return "stub-request-" + n;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            requests.add(new Request(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-RequestId", requestId(requestIds.incrementAndGet()));
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /**
     * Checks that exactly one SendTaskFailure with this token and error reached the wire, and that the exchange came
     * back with the SDK response on the body and the request id in its header.
     */
    public void assertSingleReport(String error, Object responseBody, Object requestIdHeader) {
        assertSingleReportOnTheWire(error);
        check(responseBody != null
                && responseBody.getClass().getName().equals("software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse"),
                "a SendTaskFailureResponse on the body, got " + responseBody);
        check(requestId(1).equals(requestIdHeader), "header CamelAwsSfnRequestId " + requestId(1) + ", got " + requestIdHeader);
    }

    /** Checks that exactly one SendTaskFailure with this token and error reached the wire. */
    public void assertSingleReportOnTheWire(String error) {
        List<Request> seen = requests();
        check(seen.size() == 1, "one request on the wire, saw " + seen.size());
        Request request = seen.get(0);
        check("AWSStepFunctions.SendTaskFailure".equals(request.target()), "X-Amz-Target, got " + request.target());
        check("application/x-amz-json-1.0".equals(request.contentType()), "Content-Type, got " + request.contentType());
        check(request.body().contains("\"taskToken\":\"" + TOKEN.replace("/", "\\/") + "\"")
                || request.body().contains("\"taskToken\":\"" + TOKEN + "\""), "the token intact in " + request.body());
        check(request.body().contains("\"error\":\"" + error + "\""), "error " + error + " in " + request.body());
    }

    private static void check(boolean condition, String expected) {
        if (!condition) {
            throw new AssertionError("Expected " + expected);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
