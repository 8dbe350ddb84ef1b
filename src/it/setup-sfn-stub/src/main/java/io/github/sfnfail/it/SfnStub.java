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
 * id, as SendTaskFailure, SendTaskSuccess and SendTaskHeartbeat do.
 */
public final class SfnStub implements AutoCloseable {

    /** A token shaped like a real one: long, base64-like, with + and / (which URL decoding would break). */
    public static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAd+x/yConsumer+Project/Token==" + "A".repeat(300);

    /** The body of the message a heartbeat is sent with: the work in progress, which it must leave as it is. */
    public static final String WORK = "work in progress";
    /** The output of the success report. */
    public static final String OUTPUT = "{\"reserved\":2}";

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
     * Checks the whole callback of one task as a host ran it: a heartbeat that left the message as it was, a success
     * report with {@link #OUTPUT}, and a failure report with this error, each with its SDK response on the body.
     */
    public void assertAllThreeAnswers(String error, Object heartbeatBody, Object successBody, Object failureBody) {
        assertAllThreeAnswersOnTheWire(error);
        check(WORK.equals(heartbeatBody), "the heartbeat to leave the body as it was, got " + heartbeatBody);
        checkResponse("SendTaskSuccessResponse", successBody);
        checkResponse("SendTaskFailureResponse", failureBody);
    }

    /** Checks that a heartbeat, a success report with {@link #OUTPUT} and a failure report with this error, in this
     * order, reached the wire for {@link #TOKEN}. */
    public void assertAllThreeAnswersOnTheWire(String error) {
        List<Request> seen = requests();
        check(seen.size() == 3, "three requests on the wire, saw " + seen.size() + ": " + seen);
        checkRequest(seen.get(0), "SendTaskHeartbeat");
        checkRequest(seen.get(1), "SendTaskSuccess");
        check(seen.get(1).body().contains("\"output\":\"" + OUTPUT.replace("\"", "\\\"") + "\""),
                "output " + OUTPUT + " in " + seen.get(1).body());
        checkRequest(seen.get(2), "SendTaskFailure");
        check(seen.get(2).body().contains("\"error\":\"" + error + "\""), "error " + error + " in " + seen.get(2).body());
    }

    private static void checkRequest(Request request, String action) {
        check(("AWSStepFunctions." + action).equals(request.target()), "X-Amz-Target " + action + ", got "
                                                                        + request.target());
        check("application/x-amz-json-1.0".equals(request.contentType()), "Content-Type, got " + request.contentType());
        check(request.body().contains("\"taskToken\":\"" + TOKEN.replace("/", "\\/") + "\"")
                || request.body().contains("\"taskToken\":\"" + TOKEN + "\""), "the token intact in " + request.body());
    }

    private static void checkResponse(String type, Object body) {
        check(body != null && body.getClass().getName().equals("software.amazon.awssdk.services.sfn.model." + type),
                "a " + type + " on the body, got " + body);
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
