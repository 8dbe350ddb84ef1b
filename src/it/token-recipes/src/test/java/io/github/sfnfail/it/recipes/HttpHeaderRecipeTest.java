package io.github.sfnfail.it.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * HTTP (platform-http), the token in a request header of the caller's (never in the URL, which access logs keep) and
 * the output as the body: ${header.taskToken}, nothing beyond platform-http. Camel drops incoming Camel* headers, so
 * the caller cannot send CamelAwsSfnTaskToken itself.
 */
class HttpHeaderRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheRequestHeader() throws Exception {
        int port = freePort();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/tasks/success?httpMethodRestrict=POST")
                        .setHeader(TASK_TOKEN, simple("${header.taskToken}"))
                        .to("aws-sfn-success:http")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
            }
        }, "camel.server.enabled", "true", "camel.server.host", "127.0.0.1", "camel.server.port", String.valueOf(port));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create("http://127.0.0.1:" + port + "/tasks/success"))
                .header("Content-Type", "application/json")
                .header("taskToken", SfnStub.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(SfnStub.OUTPUT))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(202, response.statusCode(), response.body());
        stub.awaitSuccessFor(SfnStub.TOKEN, SfnStub.OUTPUT, 10_000);
    }
}
