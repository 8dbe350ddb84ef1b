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
 * A stand-in for Step Functions on loopback: records each answer and replies 200 with an empty result and a request
 * id, as SendTaskFailure, SendTaskSuccess and SendTaskHeartbeat do; hands one activity task ({@link #ACTIVITY_TOKEN})
 * to the first GetActivityTask, and none to the next ones.
 */
public final class SfnStub implements AutoCloseable {

    /** A token shaped like a real one: long, base64-like, with + and / (which URL decoding would break). */
    public static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAd+x/yConsumer+Project/Token==" + "A".repeat(300);

    /** The activity the consumer projects' aws-sfn-activity routes work for. */
    public static final String ACTIVITY_ARN = "arn:aws:states:eu-west-1:123456789012:activity:orders";
    /** The token of the one activity task the stub hands out. */
    public static final String ACTIVITY_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAd+x/yActivity+Task/Token==" + "B".repeat(300);
    /** The output the consumer projects' activity routes answer with. */
    public static final String ACTIVITY_OUTPUT = "{\"worked\":true}";

    /** The body of the message a heartbeat is sent with: the work in progress, which it must leave as it is. */
    public static final String WORK = "work in progress";
    /** The output of the success report. */
    public static final String OUTPUT = "{\"reserved\":2}";

    /** The access key the consumer projects set once for every scheme, camel.component.aws-sfn.access-key. */
    public static final String SHARED_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    /** The access key the consumer projects set for aws-sfn-fail alone, which wins over the shared one. */
    public static final String FAILURE_ACCESS_KEY = "AKIAFAILUREREPORTS01";

    /** What reached the wire; accessKey is the one the request was signed with. */
    public record Request(String target, String contentType, String body, String accessKey) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();

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
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String reply = "{}";
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if ("AWSStepFunctions.GetActivityTask".equals(target)) {
                if (polls.incrementAndGet() == 1) {
                    reply = "{\"taskToken\":\"" + ACTIVITY_TOKEN + "\",\"input\":\"{\\\"order\\\":1}\"}";
                }
            } else {
                requests.add(new Request(target, exchange.getRequestHeaders().getFirst("Content-Type"), body,
                        accessKey(exchange.getRequestHeaders().getFirst("Authorization"))));
            }
        }
        byte[] body = reply.getBytes(StandardCharsets.UTF_8);
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
        List<Request> seen = requestsFor(TOKEN);
        check(seen.size() == 3, "three requests on the wire, saw " + seen.size() + ": " + seen);
        checkRequest(seen.get(0), "SendTaskHeartbeat");
        checkRequest(seen.get(1), "SendTaskSuccess");
        check(seen.get(1).body().contains("\"output\":\"" + OUTPUT.replace("\"", "\\\"") + "\""),
                "output " + OUTPUT + " in " + seen.get(1).body());
        checkRequest(seen.get(2), "SendTaskFailure");
        check(seen.get(2).body().contains("\"error\":\"" + error + "\""), "error " + error + " in " + seen.get(2).body());
    }

    /**
     * Waits until the host's aws-sfn-activity consumer answered the activity task it took, and checks that answer: one
     * SendTaskSuccess with {@link #ACTIVITY_OUTPUT}.
     */
    public void awaitActivityTaskAnswered(long timeoutMillis) throws InterruptedException {
        awaitSuccessFor(ACTIVITY_TOKEN, ACTIVITY_OUTPUT, timeoutMillis);
        check(polls.get() >= 1, "a GetActivityTask poll");
    }

    /**
     * Waits until a SendTaskSuccess for this token with this output reached the wire, and checks that it is the
     * token's only answer.
     */
    public void awaitSuccessFor(String token, String output, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (requestsFor(token).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<Request> answers = requestsFor(token);
        check(answers.size() == 1, "one answer for the token within " + timeoutMillis + " ms, saw " + answers);
        checkRequest(answers.get(0), "SendTaskSuccess", token);
        check(answers.get(0).body().contains("\"output\":\"" + output.replace("\"", "\\\"") + "\""),
                "output " + output + " in " + answers.get(0).body());
    }

    /**
     * Checks that the options shared by every scheme (camel.component.aws-sfn.*) and a scheme's own line both took:
     * every answer signed with {@link #SHARED_ACCESS_KEY}, but the failure reports with {@link #FAILURE_ACCESS_KEY}.
     */
    public void assertSharedOptionsAndTheFailureReportsOwnKey() {
        List<Request> seen = requests();
        check(!seen.isEmpty(), "answers on the wire");
        for (Request request : seen) {
            String expected = "AWSStepFunctions.SendTaskFailure".equals(request.target()) ? FAILURE_ACCESS_KEY
                    : SHARED_ACCESS_KEY;
            check(expected.equals(request.accessKey()), request.target() + " signed with " + expected + ", got "
                                                        + request.accessKey());
        }
    }

    /** The access key id of a SigV4 Authorization header: Credential=&lt;key&gt;/&lt;date&gt;/... */
    private static String accessKey(String authorization) {
        if (authorization == null || !authorization.contains("Credential=")) {
            return null;
        }
        String credential = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
        return credential.substring(0, credential.indexOf('/'));
    }

    private List<Request> requestsFor(String token) {
        return requests().stream().filter(r -> r.body().contains(token) || r.body().contains(token.replace("/", "\\/")))
                .toList();
    }

    private static void checkRequest(Request request, String action) {
        checkRequest(request, action, TOKEN);
    }

    private static void checkRequest(Request request, String action, String token) {
        check(("AWSStepFunctions." + action).equals(request.target()), "X-Amz-Target " + action + ", got "
                                                                        + request.target());
        check("application/x-amz-json-1.0".equals(request.contentType()), "Content-Type, got " + request.contentType());
        check(request.body().contains("\"taskToken\":\"" + token.replace("/", "\\/") + "\"")
                || request.body().contains("\"taskToken\":\"" + token + "\""), "the token intact in " + request.body());
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
