package io.github.sfnfail.camel;

import java.util.Properties;

import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.camel.heartbeat.SfnHeartbeatEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plain number is milliseconds to Camel, so {@code api-call-timeout = 30} would allow 30 ms where 30 s was meant:
 * every duration option of every scheme refuses a plain number under a second, on the shared line, a scheme's own line
 * and an endpoint URI alike, saying what to write instead; a unit, 0 and 1000 or more are taken.
 */
class DurationOptionsTest {

    private Main main;

    @AfterEach
    void stopMain() {
        if (main != null) {
            main.stop();
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({ "camel.component.aws-sfn.api-call-timeout, camel.component.aws-sfn.apiCallTimeout",
                 "camel.component.aws-sfn.throttling-timeout, camel.component.aws-sfn.throttlingTimeout",
                 "camel.component.aws-sfn-fail.api-call-attempt-timeout, camel.component.aws-sfn-fail.apiCallAttemptTimeout",
                 "camel.component.aws-sfn-heartbeat.period, camel.component.aws-sfn-heartbeat.period",
                 "camel.component.aws-sfn-activity.heartbeat-period, camel.component.aws-sfn-activity.heartbeatPeriod" })
    void aPlainNumberUnderASecondOnAPropertiesLineFailsTheStartSayingWhatToWrite(String line, String named) {
        Properties properties = new Properties();
        properties.put(line, "30");
        main = new Main();
        main.setOverrideProperties(properties);

        assertThatThrownBy(main::start).hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessage(named + " = 30 is a plain number, which would be 30 milliseconds: write 30s "
                                        + "for seconds, or 30ms if milliseconds are meant (a plain number under a "
                                        + "second is refused)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "aws-sfn-fail:orders?apiCallTimeout=30, aws-sfn-fail endpoint option apiCallTimeout = 30",
                 "aws-sfn-heartbeat:orders?period=500, aws-sfn-heartbeat endpoint option period = 500",
                 "aws-sfn-activity:arn:aws:states:eu-west-1:123456789012:activity:orders?heartbeatPeriod=20, "
                 + "aws-sfn-activity endpoint option heartbeatPeriod = 20" })
    void aPlainNumberUnderASecondInAnEndpointUriIsRefusedSayingWhatToWrite(String uri, String named) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> context.getEndpoint(uri)).hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .rootCause().hasMessageStartingWith(named + " is a plain number, which would be ");
        }
    }

    @Test
    void aUnitZeroAndAThousandOrMoreAreTaken() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getComponent("aws-sfn", SfnSharedOptionsComponent.class).setOption("api-call-timeout", "30000");
            context.getComponent("aws-sfn", SfnSharedOptionsComponent.class).setOption("throttling-timeout", "0");

            SfnHeartbeatEndpoint heartbeat = context.getEndpoint("aws-sfn-heartbeat:orders?period=500ms",
                    SfnHeartbeatEndpoint.class);
            SfnActivityEndpoint activity = context.getEndpoint(
                    "aws-sfn-activity:arn:aws:states:eu-west-1:123456789012:activity:orders?heartbeatPeriod=20s",
                    SfnActivityEndpoint.class);

            assertThat(heartbeat.getConfiguration().getApiCallTimeout()).isEqualTo(30_000);
            assertThat(heartbeat.getConfiguration().getThrottlingTimeout()).isZero();
            assertThat(heartbeat.getConfiguration().getPeriod()).isEqualTo(500);
            assertThat(activity.getConfiguration().getHeartbeatPeriod()).isEqualTo(20_000);
        }
    }
}
