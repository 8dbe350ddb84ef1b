package io.github.sfnfail.it.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.sfnfail.camel.activity.SfnActivityConfiguration;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.SfnStub;
import io.github.sfnfail.it.client.SfnClientConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/** The same application with a Step Functions client of its own: SfnClientConfiguration and application-own-client.yaml. */
@SpringBootTest(classes = { ConsumerApplication.class, SfnClientConfiguration.class })
@ActiveProfiles("own-client")
class SpringBootOwnClientTest {

    private static final SfnStub STUB = startStub();

    @Autowired
    private CamelContext camelContext;
    @Autowired
    private ProducerTemplate template;
    @Autowired
    private SfnAsyncClient sfnClient;

    @DynamicPropertySource
    static void stepFunctionsEndpoint(DynamicPropertyRegistry registry) {
        registry.add("sfn.endpoint", STUB::url);
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @Test
    void aClientBeanServesEveryAnswerAndTheActivitysHundredPolls() throws Exception {
        Exchange failure = template.request("direct:reportFailure",
                exchange -> exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN));
        assertEquals(null, failure.getException());
        STUB.awaitActivityTaskAnswered(30_000);

        assertFalse(STUB.requests().isEmpty());
        for (SfnStub.Request request : STUB.requests()) {
            assertEquals("AKIAOWNCLIENTEXAMPLE", request.accessKey(), request.target() + " through the application's client");
        }
        SfnActivityConfiguration activity = ((SfnActivityEndpoint) camelContext.getRoute("activity-worker").getEndpoint())
                .getConfiguration();
        assertSame(sfnClient, activity.getAwsSfnAsyncClient());
        assertEquals(100, activity.getConcurrentPollers());
        assertEquals(110, activity.getClientConnections());
    }

    private static SfnStub startStub() {
        try {
            return new SfnStub();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
