package io.github.sfnfail.it.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.InputStream;
import java.util.Properties;

import io.github.sfnfail.camel.activity.SfnActivityConfiguration;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The same project with a Step Functions client of its own, bound by a configuration class: the lines of
 * own-client.properties added to application.properties.
 */
class CamelMainOwnClientTest {

    @Test
    void aClientBoundByAConfigurationClassServesEveryAnswerAndTheActivitysHundredPolls() throws Exception {
        try (SfnStub stub = new SfnStub()) {
            System.setProperty("sfn.endpoint", stub.url());
            Main main = new Main();
            Properties ownClient = new Properties();
            try (InputStream in = getClass().getResourceAsStream("/own-client.properties")) {
                ownClient.load(in);
            }
            ownClient.forEach((name, value) -> main.addOverrideProperty((String) name, (String) value));
            main.addOverrideProperty("camel.management.port", "0");
            main.start();
            try {
                CamelContext context = main.getCamelContext();
                try (ProducerTemplate template = context.createProducerTemplate()) {
                    Exchange failure = template.request("direct:reportFailure",
                            exchange -> exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN));
                    assertEquals(null, failure.getException());
                }
                stub.awaitActivityTaskAnswered(30_000);
                assertFalse(stub.requests().isEmpty());
                for (SfnStub.Request request : stub.requests()) {
                    assertEquals("AKIAOWNCLIENTEXAMPLE", request.accessKey(), request.target() + " through the "
                                                                            + "application's client");
                }
                SfnActivityConfiguration activity = ((SfnActivityEndpoint) context.getRoute("activity-worker")
                        .getEndpoint()).getConfiguration();
                assertSame(context.getRegistry().lookupByName("sfnClient"), activity.getAwsSfnAsyncClient());
                assertEquals(100, activity.getConcurrentPollers());
                assertEquals(110, activity.getClientConnections());
            } finally {
                main.stop();
            }
        }
    }
}
