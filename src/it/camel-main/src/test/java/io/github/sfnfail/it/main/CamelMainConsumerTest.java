package io.github.sfnfail.it.main;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

class CamelMainConsumerTest {

    @Test
    void yamlRouteReportsTheFailureWithTheOptionsFromApplicationProperties() throws Exception {
        try (SfnStub stub = new SfnStub()) {
            System.setProperty("sfn.endpoint", stub.url());
            Main main = new Main();
            main.start();
            try {
                CamelContext context = main.getCamelContext();
                assertEquals(System.getProperty("expected.camel.version"), context.getVersion());
                try (ProducerTemplate template = context.createProducerTemplate()) {
                    Exchange answer = template.request("direct:reportFailure",
                            exchange -> exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN));
                    if (answer.getException() != null) {
                        throw answer.getException();
                    }
                    stub.assertSingleReport("OrderRejected", answer.getMessage().getBody(),
                            answer.getMessage().getHeader("CamelAwsSfnRequestId"));
                }
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void everyAwsSdkModuleResolvesAtTheOneVersionTheComponentNames() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }
}
