package io.github.sfnfail.camel;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A misspelled endpoint option, in a Java route's URI or under a YAML route's {@code parameters:}, fails the start
 * naming the option it most likely meant, as a misspelled property line does; Camel's own message named none.
 */
class UnknownUriOptionsTest {

    private Main main;

    @AfterEach
    void stopMain() {
        if (main != null) {
            main.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "aws-sfn-fail:orders?erorr=OrderRejected, erorr, error",
                 "aws-sfn-success:orders?apiCallTimout=30s, apiCallTimout, apiCallTimeout",
                 "aws-sfn-heartbeat:orders?perod=20s, perod, period",
                 "aws-sfn-activity:arn:aws:states:eu-west-1:123456789012:activity:orders?concurentPollers=2, "
                 + "concurentPollers, concurrentPollers" })
    void aMisspelledOptionInAJavaRouteFailsTheStartNamingTheClosestOption(String uri, String written, String meant)
            throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    if (uri.startsWith("aws-sfn-activity:")) {
                        from(uri).log("${body}");
                    } else {
                        from("direct:answer").to(uri);
                    }
                }
            });

            assertThatThrownBy(context::start).rootCause().isInstanceOf(ResolveEndpointFailedException.class)
                    .hasMessageContaining("There are 1 parameters that couldn't be set on the endpoint: unknown "
                                          + "option " + written + " (did you mean " + meant + "?).");
        }
    }

    @Test
    void aMisspelledOptionUnderParametersInAYamlRouteFailsTheStartNamingTheClosestOption() {
        Properties properties = new Properties();
        properties.put("camel.main.routes-include-pattern", "classpath:misspelled/activity-worker.yaml");
        main = new Main();
        main.setOverrideProperties(properties);

        assertThatThrownBy(main::start).rootCause().isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("unknown option concurentPollers (did you mean concurrentPollers?)")
                .hasMessageContaining("The aws-sfn-activity endpoint options are ");
    }

    /** What docs/troubleshooting.md says of Camel's YAML DSL: options in uri: or under parameters:, not both. */
    @Test
    void aYamlRouteWithAQueryInItsUriBesideParametersIsRefusedByCamel() {
        Properties properties = new Properties();
        properties.put("camel.main.routes-include-pattern", "classpath:misspelled/query-and-parameters.yaml");
        main = new Main();
        main.setOverrideProperties(properties);

        assertThatThrownBy(main::start).hasStackTraceContaining("Uri should not contains query parameters");
    }

    @Test
    void eachUnknownOptionIsNamedAndOneWithNothingCloseGetsTheList() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> context.getEndpoint("aws-sfn-fail:orders?regoin=eu-west-1&colour=blue"))
                    .isInstanceOf(ResolveEndpointFailedException.class)
                    .hasMessageContaining("There are 2 parameters that couldn't be set on the endpoint: unknown option "
                                          + "colour; unknown option regoin (did you mean region?). The aws-sfn-fail "
                                          + "endpoint options are accessKey, ");
        }
    }

    @Test
    void theOptionsAreStillTaken() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThat(context.getEndpoint("aws-sfn-fail:orders?error=OrderRejected&region=eu-west-1")).isNotNull();
        }
    }
}
