package io.github.sfnfail.camel;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With no region set and none for the SDK's region chain to find (no AWS_REGION, no profile, no instance metadata), as
 * with stepfunctions-local's activity ARNs ({@code arn:aws:states:local:...}), the start fails saying which option
 * sets a region, camel.component.aws-sfn.region, rather than with the SDK's report of each provider it tried.
 */
class NoRegionTest {

    private static final String EMULATOR = "overrideEndpoint=true&uriEndpointOverride=http://127.0.0.1:1"
                                           + "&accessKey=AKIAEMULATOR&secretKey=emulatorSecret";

    private static final Map<String, String> NOTHING_TO_FIND = Map.of(
            "aws.disableEc2Metadata", "true",
            "aws.sharedCredentialsFile", "/nonexistent/credentials",
            "aws.configFile", "/nonexistent/config");

    @BeforeAll
    static void nothingForTheRegionChain() {
        assumeTrue(System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null,
                "a region for the SDK's chain to find");
        NOTHING_TO_FIND.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        NOTHING_TO_FIND.keySet().forEach(System::clearProperty);
    }

    @ParameterizedTest
    @ValueSource(strings = { "aws-sfn-activity:arn:aws:states:local:123456789012:activity:orders",
                             "aws-sfn-fail:orders" })
    void theStartFailsNamingTheSharedRegionOption(String endpoint) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    if (endpoint.startsWith("aws-sfn-activity:")) {
                        from(endpoint + "?" + EMULATOR).log("${body}");
                    } else {
                        from("direct:answer").to(endpoint + "?" + EMULATOR);
                    }
                }
            });

            assertThatThrownBy(context::start).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("No AWS region for " + endpoint.replaceFirst(":", "://"))
                    .hasMessageContaining("Set one for every scheme with camel.component.aws-sfn.region (against an "
                                          + "emulator any region name does, such as us-east-1), or region= on the "
                                          + "endpoint")
                    .hasMessageNotContaining("providers in the chain");
        }
    }
}
