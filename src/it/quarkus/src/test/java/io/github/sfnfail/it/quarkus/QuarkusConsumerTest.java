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
    void yamlRouteReportsTheFailureWithTheOptionsFromApplicationProperties() throws Exception {
        Exchange answer = template.request("direct:reportFailure",
                exchange -> exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN));
        if (answer.getException() != null) {
            throw answer.getException();
        }
        stub.assertSingleReport("OrderRejected", answer.getMessage().getBody(),
                answer.getMessage().getHeader("CamelAwsSfnRequestId"));
    }

    @Test
    void everyAwsSdkModuleResolvesAtTheOneVersionThePlatformAndTheComponentName() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }
}
