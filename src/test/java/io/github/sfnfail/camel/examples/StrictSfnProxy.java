package io.github.sfnfail.camel.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * Forwards SendTaskFailure to the emulator, but answers a second report for a task already failed through it with 400
 * TaskTimedOut, as AWS does (the emulator answers 200): duplicates then show as they would in production. Counts the
 * reports that landed, per token, and the duplicates refused.
 */
final class StrictSfnProxy extends LoopbackSfnServer {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final AtomicInteger duplicates = new AtomicInteger();

    StrictSfnProxy(String target) throws IOException {
        super(4);
        this.target = target;
    }

    int duplicatesRefused() {
        return duplicates.get();
    }

    @Override
    protected void answer(HttpExchange exchange, byte[] body) throws IOException {
        String token = taskToken(body);
        if (hasLanded(token)) {
            duplicates.incrementAndGet();
            respond(exchange, 400, "{\"__type\":\"TaskTimedOut\",\"message\":\"Task Timed Out: "
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
            if (response.statusCode() == 200) {
                countLanded(token);
            }
            respond(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "");
        }
    }
}
