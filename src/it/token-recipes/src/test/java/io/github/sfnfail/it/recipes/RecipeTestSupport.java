package io.github.sfnfail.it.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A camel-main application whose every aws-sfn-* scheme answers the stand-in for Step Functions, set once through
 * camel.component.aws-sfn.*, and runs one recipe's routes.
 */
abstract class RecipeTestSupport {

    /** The header the answers read the task token from. */
    static final String TASK_TOKEN = "CamelAwsSfnTaskToken";

    SfnStub stub;
    private Main main;

    @BeforeEach
    void startStub() throws IOException {
        stub = new SfnStub();
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        stub.close();
    }

    /** Starts the application with these routes, and these properties beside the stand-in's. */
    CamelContext start(RouteBuilder routes, String... properties) {
        main = new Main();
        main.addOverrideProperty("camel.component.aws-sfn.region", "eu-west-1");
        main.addOverrideProperty("camel.component.aws-sfn.access-key", SfnStub.SHARED_ACCESS_KEY);
        main.addOverrideProperty("camel.component.aws-sfn.secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        main.addOverrideProperty("camel.component.aws-sfn.override-endpoint", "true");
        main.addOverrideProperty("camel.component.aws-sfn.uri-endpoint-override", stub.url());
        for (int i = 0; i + 1 < properties.length; i += 2) {
            main.addOverrideProperty(properties[i], properties[i + 1]);
        }
        main.configure().addRoutesBuilder(routes);
        main.start();
        return main.getCamelContext();
    }

    /**
     * Starts the application with its HTTP server on a free loopback port, posts this JSON body with these headers
     * (name, value...) to /tasks/success, and checks the reply: 202.
     */
    void startAndPost(RouteBuilder routes, String body, String... headers) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        start(routes, "camel.server.enabled", "true", "camel.server.host", "127.0.0.1", "camel.server.port",
                String.valueOf(port));
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .uri(URI.create("http://127.0.0.1:" + port + "/tasks/success"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
    }
}
