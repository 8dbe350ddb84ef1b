package io.github.sfnfail.it.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;

import io.github.sfnfail.camel.activity.SfnActivityConfiguration;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.it.SfnStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/** The same application with a Step Functions client of its own: SfnClientProducer, and its pool told the consumer. */
@QuarkusTest
@TestProfile(QuarkusOwnClientTest.OwnClient.class)
@QuarkusTestResource(SfnStubResource.class)
class QuarkusOwnClientTest {

    /** Turns SfnClientProducer on, and adds the lines an application with such a client sets. */
    public static class OwnClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sfn.own-client", "true",
                    "camel.component.aws-sfn-activity.concurrent-pollers", "100",
                    "camel.component.aws-sfn-activity.client-connections", "110");
        }
    }

    @Inject
    ProducerTemplate template;
    @Inject
    CamelContext context;
    @Inject
    SfnAsyncClient sfnClient;

    @SfnStubResource.Stub
    SfnStub stub;

    @Test
    void aClientBeanServesEveryAnswerAndTheActivitysHundredPolls() throws Exception {
        Exchange failure = template.request("direct:reportFailure",
                exchange -> exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN));
        assertEquals(null, failure.getException());
        stub.awaitActivityTaskAnswered(30_000);

        assertFalse(stub.requests().isEmpty());
        for (SfnStub.Request request : stub.requests()) {
            assertEquals("AKIAOWNCLIENTEXAMPLE", request.accessKey(), request.target() + " through the application's client");
        }
        SfnActivityConfiguration activity = ((SfnActivityEndpoint) context.getRoute("activity-worker").getEndpoint())
                .getConfiguration();
        assertSame(sfnClient, activity.getAwsSfnAsyncClient());
        assertEquals(100, activity.getConcurrentPollers());
        assertEquals(110, activity.getClientConnections());
    }
}
