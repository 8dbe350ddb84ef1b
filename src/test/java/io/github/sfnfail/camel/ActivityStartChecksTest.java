package io.github.sfnfail.camel;

import ch.qos.logback.classic.Level;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the activity consumer checks of its ARN at start: an activity's ARN, and the activity lives in the region it
 * names.
 */
class ActivityStartChecksTest extends ActivityStandInTestSupport {

    private static final String US_WEST_2_ARN = "arn:aws:states:us-west-2:123456789012:activity:reserve-stock";

    @Test
    void anArnInAnotherRegionThanTheEndpointsIsWarnedAtStart() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            start(route("other-region", "aws-sfn-activity:" + US_WEST_2_ARN));

            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("is in region us-west-2")
                        .contains("calls region " + REGION).contains("ActivityDoesNotExist");
            });
        }
    }

    @Test
    void withNoRegionSetTheArnsRegionIsTaken() throws Exception {
        context.getComponent("aws-sfn-activity", SfnTaskComponent.class).getConfiguration().setRegion(null);

        start(route("arn-region", "aws-sfn-activity:" + US_WEST_2_ARN));

        assertThat(endpoint("arn-region").getConfiguration().getRegion()).isEqualTo("us-west-2");
    }

    @Test
    void anEmulatorsArnThatNamesNoRegionIsLeftAlone() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            // stepfunctions-local's ARNs say "local" where AWS says a region
            start(route("emulator", "aws-sfn-activity:arn:aws:states:local:0123456789:activity:reserve-stock"));

            assertThat(endpoint("emulator").getConfiguration().getRegion()).isEqualTo(REGION);
            assertThat(logs.events()).noneSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.WARN));
        }
    }

    @Test
    void anArnThatIsNotAnArnSuchAsTheNullOfAnUnsetPropertyIsRefusedAtStartNamingTheOption() {
        assertThatThrownBy(() -> start(route("unset", "aws-sfn-activity:null")))
                .hasStackTraceContaining("The activity ARN (activityArn, the path of aws-sfn-activity:) must be an "
                                         + "activity's ARN such as "
                                         + "arn:aws:states:eu-west-1:123456789012:activity:reserve-stock, not 'null': "
                                         + "'null' is what a property or variable that was never set becomes");
        assertThatThrownBy(() -> start(route("state-machine",
                "aws-sfn-activity:arn:aws:states:eu-west-1:123456789012:stateMachine:orders")))
                .hasStackTraceContaining("not 'arn:aws:states:eu-west-1:123456789012:stateMachine:orders'");
    }

    private static RouteBuilder route(String id, String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(id).setBody(constant("{}"));
            }
        };
    }
}
