package io.github.sfnfail.it.main;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.JournalOnDisk;
import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

class CamelMainConsumerTest {

    @Test
    void yamlRoutesHeartbeatSucceedFailAndWorkForAnActivityWithTheSharedAndPerSchemeOptionsFromApplicationProperties() throws Exception {
        try (SfnStub stub = new SfnStub()) {
            System.setProperty("sfn.endpoint", stub.url());
            Main main = new Main();
            // the health checks' server on a free port: other builds may hold 8080
            main.addOverrideProperty("camel.management.port", "0");
            main.start();
            try {
                CamelContext context = main.getCamelContext();
                assertEquals(System.getProperty("expected.camel.version"), context.getVersion());
                try (ProducerTemplate template = context.createProducerTemplate()) {
                    Exchange heartbeat = answer(template, "direct:heartbeat", SfnStub.WORK);
                    Exchange success = answer(template, "direct:reportSuccess", SfnStub.OUTPUT);
                    Exchange failure = answer(template, "direct:reportFailure", null);
                    stub.assertAllThreeAnswers("OrderRejected", heartbeat.getMessage().getBody(),
                            success.getMessage().getBody(), failure.getMessage().getBody());
                    stub.awaitActivityTaskAnswered(30_000);
                    stub.assertSharedOptionsAndTheFailureReportsOwnKey();
                    SfnActivityEndpoint worker = (SfnActivityEndpoint) context.getRoute("activity-worker").getEndpoint();
                    JournalOnDisk.assertTasksWentThrough(worker::getTasksJournaled, Path.of("target/journal"));
                }
            } finally {
                main.stop();
            }
        }
    }

    /** One answer for the stub's task, with this body; its exception, if any, fails the test. */
    private static Exchange answer(ProducerTemplate template, String route, Object body) throws Exception {
        Exchange answer = template.request(route, exchange -> {
            exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN);
            exchange.getMessage().setBody(body);
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer;
    }

    @Test
    void everyAwsSdkModuleResolvesAtTheOneVersionTheComponentNames() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }
}
