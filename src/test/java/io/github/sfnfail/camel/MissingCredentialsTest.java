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
 * With no keys given and nothing for the SDK's default chain to find (as against a local emulator), the error says so in
 * one sentence and how to give every scheme keys (camel.component.aws-sfn.*): for an answer, and for the activity
 * consumer's polls, whose WARN line and health check (DOWN) say the same; what the SDK's chain tried is at DEBUG only.
 */
class MissingCredentialsTest extends CamelTestSupport {

    /** The first sentence and the fix, naming the prefix every scheme shares; nothing of the SDK's long chain report. */
    private static final String HINT = "No AWS credentials: the SDK's default chain found none (environment, profile, "
                                       + "container or instance role). Give every scheme keys once with "
                                       + "camel.component.aws-sfn.access-key and camel.component.aws-sfn.secret-key "
                                       + "(accessKey and secretKey; with an emulator any non-empty values do), or "
                                       + "use-profile-credentials-provider with profile-credentials-name. What the "
                                       + "chain tried is logged at DEBUG by io.github.sfnfail.camel.engine.SfnErrors";

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

        assertThat(result.getException()).isInstanceOf(SdkClientException.class).hasNoCause()
                .hasMessage(HINT);
    }

    @Test
    void whatTheSdksChainTriedIsLoggedAtDebugOnly() {
        try (LogCapture logs = new LogCapture()) {
            template.request("direct:fail", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, "AQCEAAAAKgAAAAMAAAAA"));

            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(event.getLoggerName()).isEqualTo("io.github.sfnfail.camel.engine.SfnErrors");
                assertThat(event.getFormattedMessage()).contains("Unable to load credentials from any of the providers");
            });
            assertThat(logs.events()).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                    .noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("Unable to load credentials"));
        }
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
            assertThat(down.getMessage()).hasValue("Polls for tasks of activity "
                    + "arn:aws:states:us-east-1:123456789012:activity:local fail with SdkClientException: " + HINT);
            assertThat(down.getError()).hasValueSatisfying(error -> assertThat(error).hasNoCause().hasMessage(HINT));
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN).anySatisfy(event -> {
                assertThat(event.getFormattedMessage()).contains(HINT).doesNotContain("Unable to load credentials");
                assertThat(event.getFormattedMessage().length()).isLessThan(800);
            });
        }
    }
}
