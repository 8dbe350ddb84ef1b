package io.github.sfnfail.camel;

import io.github.sfnfail.camel.examples.FreePort;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report to an endpoint nobody listens on fails saying the connection was refused. The Netty client now and then
 * loses a refused connect in its pool, and its last attempt then waited out the acquire timeout and said "Acquire
 * operation took longer than the configured maximum time... high request rate" (seen about once in eight reports):
 * the component's clients wait 5 s for a connection instead of 10, and the error names the refusal.
 */
class DeadEndpointTest extends CamelTestSupport {

    private static final int REPORTS = 10;
    private final int deadPort = FreePort.pick();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:dead?region=us-east-1&accessKey=AKIADEAD&secretKey=dead"
                                       + "&overrideEndpoint=true&uriEndpointOverride=http://127.0.0.1:" + deadPort);
            }
        };
    }

    @Test
    void everyReportToADeadPortFailsSayingConnectionRefused() {
        for (int i = 0; i < REPORTS; i++) {
            Exchange result = template.request("direct:fail",
                    e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, "AQCEAAAAKgAAAAMAAAAA"));

            assertThat(result.getException()).as("report " + i).isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("Connection refused");
        }
    }
}
