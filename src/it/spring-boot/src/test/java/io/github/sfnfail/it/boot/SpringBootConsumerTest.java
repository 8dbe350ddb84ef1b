package io.github.sfnfail.it.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.JournalOnDisk;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootConsumerTest {

    private static final SfnStub STUB = startStub();

    @Autowired
    private CamelContext camelContext;
    @Autowired
    private ProducerTemplate template;
    @Autowired
    private Environment environment;

    @DynamicPropertySource
    static void stepFunctionsEndpoint(DynamicPropertyRegistry registry) {
        registry.add("sfn.endpoint", STUB::url);
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @Test
    void routesHeartbeatSucceedFailAndWorkForAnActivityWithTheSharedAndPerSchemeOptionsFromApplicationYaml() throws Exception {
        assertEquals(System.getProperty("expected.spring-boot.version"), SpringBootVersion.getVersion());
        assertEquals(System.getProperty("expected.camel.version"), camelContext.getVersion());

        Exchange heartbeat = answer("direct:heartbeat", SfnStub.WORK);
        Exchange success = answer("direct:reportSuccess", SfnStub.OUTPUT);
        Exchange failure = answer("direct:reportFailure", null);
        STUB.assertAllThreeAnswers("OrderRejected", heartbeat.getMessage().getBody(), success.getMessage().getBody(),
                failure.getMessage().getBody());
        STUB.awaitActivityTaskAnswered(30_000);
        STUB.assertSharedOptionsAndTheFailureReportsOwnKey();
        SfnActivityEndpoint worker = (SfnActivityEndpoint) camelContext.getRoute("activity-worker").getEndpoint();
        JournalOnDisk.assertTasksWentThrough(worker::getTasksJournaled, Path.of("target/journal"));
    }

    @Test
    void theActuatorsHealthEndpointShowsCamelsChecksTheActivityConsumersIncluded() throws Exception {
        STUB.awaitActivityTaskAnswered(30_000);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, health.statusCode(), health.body());
        // Spring Boot 3 and 4 order the keys differently
        assertTrue(health.body().contains("\"camelHealth\":{"), health.body());
        assertTrue(health.body().contains("\"consumer:activity-worker\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\"") && !health.body().contains("DOWN"), health.body());
    }

    @Test
    void camelsOwnShutdownTimeoutAndRunControllerAreTakenFromApplicationYaml() {
        assertEquals(120, camelContext.getShutdownStrategy().getTimeout());
        // the thread that keeps the JVM running without a web server
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("CamelMainRunController") && !thread.isDaemon()));
    }

    @Test
    void everyAwsSdkModuleResolvesAtTheOneVersionTheComponentNames() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }

    private static SfnStub startStub() {
        try {
            return new SfnStub();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One answer for the stub's task, with this body; its exception, if any, fails the test. */
    private Exchange answer(String route, Object body) throws Exception {
        Exchange answer = template.request(route, exchange -> {
            exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN);
            exchange.getMessage().setBody(body);
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer;
    }
}
