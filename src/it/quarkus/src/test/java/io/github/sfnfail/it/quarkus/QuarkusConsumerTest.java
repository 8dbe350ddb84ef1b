package io.github.sfnfail.it.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.JournalOnDisk;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SfnStubResource.class)
class QuarkusConsumerTest {

    @Inject
    ProducerTemplate template;
    @Inject
    CamelContext context;

    @TestHTTPResource("/q/health")
    URL health;

    @SfnStubResource.Stub
    SfnStub stub;

    @Test
    void yamlRoutesHeartbeatSucceedFailAndWorkForAnActivityWithTheSharedAndPerSchemeOptionsFromApplicationProperties() throws Exception {
        Exchange heartbeat = answer("direct:heartbeat", SfnStub.WORK);
        Exchange success = answer("direct:reportSuccess", SfnStub.OUTPUT);
        Exchange failure = answer("direct:reportFailure", null);
        stub.assertAllThreeAnswers("OrderRejected", heartbeat.getMessage().getBody(), success.getMessage().getBody(),
                failure.getMessage().getBody());
        stub.awaitActivityTaskAnswered(30_000);
        stub.assertSharedOptionsAndTheFailureReportsOwnKey();
        SfnActivityEndpoint worker = (SfnActivityEndpoint) context.getRoute("activity-worker").getEndpoint();
        JournalOnDisk.assertTasksWentThrough(worker::getTasksJournaled, Path.of("target/journal"));
    }

    @Test
    void theHealthEndpointShowsCamelsChecksTheConsumersOnesIncluded() throws Exception {
        stub.awaitActivityTaskAnswered(30_000);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(health.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode(), answer.body());
        // the consumers' checks, the activity consumer's included, as one: camel-consumers
        assertTrue(answer.body().replaceAll("\\s", "").contains("{\"name\":\"camel-consumers\",\"status\":\"UP\"}"),
                answer.body());
        assertFalse(answer.body().contains("DOWN"), answer.body());
    }

    @Test
    void camelsOwnShutdownTimeoutIsTakenFromApplicationProperties() {
        assertEquals(120, context.getShutdownStrategy().getTimeout());
    }

    @Test
    void everyAwsSdkModuleResolvesAtTheOneVersionThePlatformAndTheComponentName() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
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
