package io.github.sfnfail.camel;

import java.time.Duration;

import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;

import static org.awaitility.Awaitility.await;

/**
 * A Camel context whose aws-sfn-activity, aws-sfn-success and aws-sfn-fail components talk to an
 * {@link ActivityStandIn} that long-polls as AWS does, with consumer health checks on. Each test adds the routes it
 * needs.
 */
abstract class ActivityStandInTestSupport extends CamelTestSupport {

    static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:reserve-stock";
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/ActivityTask+Token/Shape";
    static final String REGION = "eu-west-1";
    static final String ACCESS_KEY = "AKIAACTIVITYSTANDIN";
    static final String SECRET_KEY = "activity-stand-in-secret";

    final ActivityStandIn sfn = ActivityStandIn.started();

    /**
     * Stops the context while Step Functions still answers (the answers in hand land), with polls answered at once as
     * an emulator does, so that the stop need not wait for polls held a minute; then the stand-in.
     */
    @AfterEach
    void stopStandIn() {
        sfn.answerPollsAtOnce();
        if (context != null) {
            context.stop();
        }
        sfn.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        LoopbackComponents.pointAt(context, sfn.url(), REGION, ACCESS_KEY, SECRET_KEY, "aws-sfn-activity",
                "aws-sfn-success", "aws-sfn-fail", "aws-sfn-heartbeat");
        HealthChecksOn.enable(context, "consumers");
        context.getShutdownStrategy().setTimeout(30);
        return context;
    }

    void start(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    SfnActivityEndpoint endpoint(String route) {
        return (SfnActivityEndpoint) context.getRoute(route).getEndpoint();
    }

    ActivityStandIn.Answer awaitAnswer(String action) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !sfn.answers(action).isEmpty());
        return sfn.answers(action).get(0);
    }
}
