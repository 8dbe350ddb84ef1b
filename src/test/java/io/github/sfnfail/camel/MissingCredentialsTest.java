package io.github.sfnfail.camel;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no keys given and nothing for the SDK's default chain to find (as against a local emulator), the error says how
 * to give the component keys through its own options, not only the SDK's environment variables.
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
                .hasMessageContaining("Unable to load credentials")
                .hasMessageContaining("accessKey and secretKey")
                .hasMessageContaining("camel.component.<scheme>.access-key");
    }
}
