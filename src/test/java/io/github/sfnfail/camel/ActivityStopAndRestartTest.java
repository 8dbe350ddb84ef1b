package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops that end before AWS answers the open polls (Camel waits 45 s by default, AWS holds a poll up to 60 s): a task a
 * poll left open brings after the stop is failed at once with an error a Retry can match, and a restart counts the
 * polls still open instead of opening more.
 */
class ActivityStopAndRestartTest extends ActivityStandInTestSupport {

    /** The threads the route ran tasks on. */
    private final List<String> ranOn = new CopyOnWriteArrayList<>();

    private RouteBuilder worker() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=restarting").routeId("worker")
                        .process(e -> ranOn.add(Thread.currentThread().getName()))
                        .setBody(constant("{\"reserved\":true}"));
            }
        };
    }

    @Test
    void aTaskAPollLeftOpenBringsAfterTheStopIsFailedWithWorkerStopped() throws Exception {
        start(worker());
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        // the stop gives up waiting for the open poll after a second, as Camel's does after 45 s
        context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);
        assertThat(sfn.openPolls()).as("the poll is left open: Step Functions may have handed it a task").isEqualTo(1);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
        assertThat(failure.token()).isEqualTo(TOKEN);
        assertThat(failure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"")
                .contains("stopped before it could run this task");
        assertThat(ranOn).as("the stopped route did not run").isEmpty();
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().tasksInHand() == 0);
    }

    @Test
    void aPollLeftOpenThatFailsAfterTheStopIsNoWarningAndLeavesNothingOpen() throws Exception {
        start(worker());
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);

        try (LogCapture logs = new LogCapture()) {
            // the poll left open ends with an error after the stop (a closing connection, a refusal)
            sfn.failHeldPolls(400, "AccessDeniedException");

            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("worker").getActivityCounters().pollsOpen() == 0);
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                                                         && event.getFormattedMessage().contains("Polls for tasks"));
        }
    }

    @Test
    void restartsCountThePollsStillOpenInsteadOfOpeningMore() throws Exception {
        start(worker());
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        for (int i = 0; i < 3; i++) {
            context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);
            context.getRouteController().startRoute("worker");
        }

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 1);
        assertThat(endpoint("worker").getActivityCounters().pollsOpen()).isEqualTo(1);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");
        assertThat(success.body()).contains("reserved");
        assertThat(ranOn).as("the task the poll from before the restarts brought ran on the consumer's threads")
                .singleElement().asString().contains("AwsSfnActivity");
        await().atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 1);
    }
}
