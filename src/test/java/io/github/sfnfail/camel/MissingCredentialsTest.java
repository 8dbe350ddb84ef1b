package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.Map;

import ch.qos.logback.classic.Level;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no keys given and nothing for the SDK's default chain to find (as against a local emulator), the error says how
 * to give the component keys through its own options first, then what the SDK's chain tried: for an answer, and for
 * the activity consumer's polls, whose health check is DOWN with the same message.
 */
class MissingCredentialsTest extends CamelTestSupport {

    private static final Map<String, String> NOTHING_TO_FIND = Map.of(
            // no EC2 instance metadata call, no profile files
            "aws.disableEc2Metadata", "true",
            "aws.sharedCredentialsFile", "/nonexistent/credentials",
            "aws.configFile", "/nonexistent/config");

    @BeforeAll
    static void nothingForTheDefaultChain() {
        NOTHING_TO_FIND.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        NOTHING_TO_FIND.keySet().forEach(System::clearProperty);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthChecksOn.enable(context, "consumers");
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:local?region=us-east-1&overrideEndpoint=true"
                                       + "&uriEndpointOverride=http://127.0.0.1:1&maxAttempts=1");

            }
        };
    }

    @Test
    void theMessageSaysHowToGiveTheComponentKeys() {
        Exchange result = template.request("direct:fail",
                e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, "AQCEAAAAKgAAAAMAAAAA"));

        assertThat(result.getException()).isInstanceOf(SdkClientException.class)
                .hasMessageStartingWith("No AWS credentials: give the component keys through its own options")
                .hasMessageContaining("accessKey and secretKey")
                .hasMessageContaining("camel.component.<scheme>.access-key")
                .hasMessageContaining("Unable to load credentials");
    }

    @Test
    void pollsWithoutCredentialsSayHowToGiveThemAndTheHealthCheckIsDown() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("aws-sfn-activity:arn:aws:states:us-east-1:123456789012:activity:local?overrideEndpoint=true"
                         + "&uriEndpointOverride=http://127.0.0.1:1&maxAttempts=1").routeId("worker").log("task");
                }
            });

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> HealthChecksOn.consumer(context, "worker").getState() == HealthCheck.State.DOWN);
            HealthCheck.Result down = HealthChecksOn.consumer(context, "worker");
            assertThat(down.getMessage()).hasValueSatisfying(message -> assertThat(message)
                    .contains("fail with SdkClientException: No AWS credentials").contains("accessKey and secretKey"));
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("No AWS credentials").contains("accessKey");
            });
        }
    }
}
