package io.github.sfnfail.it.quarkus;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SfnStubResource.class)
class QuarkusConsumerTest {

    @Inject
    ProducerTemplate template;

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
