package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * aws-sfn-activity against a stand-in that long-polls as AWS does: tasks run and answered, the route's own answer
 * respected, heartbeats, faults while polling, and what a stop does to a poll that is still open.
 */
class ActivityConsumerTest extends CamelTestSupport {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:reserve-stock";
    private static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/ActivityTask+Token/Shape";

    private final ActivityStandIn sfn = ActivityStandIn.started();

    @AfterEach
    void stopStandIn() {
        sfn.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        for (String scheme : new String[] {"aws-sfn-activity", "aws-sfn-success", "aws-sfn-fail"}) {
            SfnTaskConfiguration configuration = context.getComponent(scheme, SfnTaskComponent.class).getConfiguration();
            configuration.setRegion("eu-west-1");
            configuration.setAccessKey("AKIAACTIVITYSTANDIN");
            configuration.setSecretKey("activity-stand-in-secret");
            configuration.setOverrideEndpoint(true);
            configuration.setUriEndpointOverride(sfn.url());
        }
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(context);
        HealthCheckRepository consumers = (HealthCheckRepository) registry.resolveById("consumers");
        consumers.setEnabled(true);
        registry.register(consumers);
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        context.getShutdownStrategy().setTimeout(30);
        return context;
    }

    /** The routes each test starts, by id. */
    private RouteBuilder route(String id) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                switch (id) {
                    case "worker" -> from("aws-sfn-activity:" + ARN + "?workerName=test-worker").routeId(id)
                            .choice()
                                .when(body().contains("\"quantity\":0"))
                                    .throwException(new IllegalArgumentException("nothing to reserve"))
                                .otherwise()
                                    .setBody(simple("{\"reserved\":true,\"task\":${body}}"));
                    case "slow" -> from("aws-sfn-activity:" + ARN + "?heartbeatPeriod=200").routeId(id)
                            .delay(1500).syncDelayed()
                            .setBody(constant("{\"slow\":true}"));
                    case "self-answering" -> from("aws-sfn-activity:" + ARN + "?workerName=self").routeId(id)
                            .setBody(constant("{\"answeredBy\":\"route\"}"))
                            .to("aws-sfn-success:self");
                    case "hundred" -> from("aws-sfn-activity:" + ARN + "?concurrentPollers=100").routeId(id)
                            .log("task");
                    default -> throw new IllegalArgumentException(id);
                }
            }
        };
    }

    @Test
    void aTaskIsRunWithItsInputAndAnsweredWithTheBodyAsOutput() throws Exception {
        start("worker");

        sfn.offer(TOKEN, "{\"orderId\":\"o-1\",\"quantity\":2}");

        ActivityStandIn.Answer answer = awaitAnswer("SendTaskSuccess");
        assertThat(answer.token()).isEqualTo(TOKEN);
        assertThat(answer.body()).contains("\"output\":\"{\\\"reserved\\\":true,\\\"task\\\":{\\\"orderId\\\":\\\"o-1\\\"");
        assertThat(sfn.answers()).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().succeeded() == 1);
    }

    @Test
    void aFailedExchangeFailsTheTaskWithTheExceptionClassAsError() throws Exception {
        start("worker");

        sfn.offer(TOKEN, "{\"orderId\":\"o-2\",\"quantity\":0}");

        ActivityStandIn.Answer answer = awaitAnswer("SendTaskFailure");
        assertThat(answer.body()).contains("\"error\":\"java.lang.IllegalArgumentException\"")
                .contains("nothing to reserve");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().failed() == 1);
    }

    @Test
    void theWorkerNameAndTheLongPollTimeLimitGoWithEachPoll() throws Exception {
        start("worker");

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        assertThat(endpoint("worker").getActivityCounters().pollsOpen()).isEqualTo(1);
    }

    /*
     * The emulators answer at once; AWS holds a poll up to 60 s. The HTTP client's default read timeout (30 s) would cut
     * such a poll off, and the task being handed to it would be lost.
     */
    @Test
    void aPollHeldPastTheHttpClientsDefaultReadTimeoutStillBringsItsTask() throws Exception {
        start("worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        int polls = sfn.polls();

        Thread.sleep(35_000);
        assertThat(sfn.polls()).as("the poll is still the first one: it was not cut off and sent again")
                .isEqualTo(polls);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        awaitAnswer("SendTaskSuccess");
        assertThat(endpoint("worker").getActivityCounters().pollErrors()).isEmpty();
    }

    @Test
    void aTaskTheRouteAnsweredItselfIsNotAnsweredAgain() throws Exception {
        start("self-answering");

        sfn.offer(TOKEN, "{}");

        awaitAnswer("SendTaskSuccess");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> sfn.answers().size() == 1);
        assertThat(sfn.answers().get(0).body()).contains("answeredBy");
        assertThat(endpoint("self-answering").getActivityCounters().answeredByRoute()).isEqualTo(1);
    }

    @Test
    void heartbeatsKeepTheTaskAliveWhileTheRouteRunsThenTheAnswer() throws Exception {
        start("slow");

        sfn.offer(TOKEN, "{}");

        awaitAnswer("SendTaskSuccess");
        List<ActivityStandIn.Answer> answers = sfn.answers();
        assertThat(answers.stream().filter(a -> a.action().equals("SendTaskHeartbeat")).count())
                .as("heartbeats every 200 ms of 1.5 s of work").isBetween(2L, 9L);
        assertThat(answers.get(answers.size() - 1).action()).as("the answer comes last").isEqualTo("SendTaskSuccess");
    }

    @Test
    void aHeartbeatThatFindsTheTaskClosedStopsHeartbeatsAndNoAnswerIsSent() throws Exception {
        sfn.answerHeartbeatsWith("TaskTimedOut");
        start("slow");

        try (LogCapture logs = new LogCapture()) {
            sfn.offer(TOKEN, "{}");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> endpoint("slow").getActivityCounters().closedByService() == 1);
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains("heartbeats stopped").doesNotContain(TOKEN);
            });
        }
        assertThat(sfn.answers()).extracting(ActivityStandIn.Answer::action).containsOnly("SendTaskHeartbeat")
                .hasSize(1);
    }

    @Test
    void aTaskHandedOutAfterTheStopBeganIsRunAndAnsweredExactlyOnce() throws Exception {
        start("worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        int pollsBeforeStop = sfn.polls();

        Thread stopping = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("worker");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopping.start();
        // the stop waits for the open poll, which Step Functions may already have given a task
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(stopping::isAlive);
        sfn.offer(TOKEN, "{\"orderId\":\"o-3\",\"quantity\":1}");
        stopping.join(Duration.ofSeconds(30).toMillis());

        assertThat(stopping.isAlive()).as("the stop ended once the task was answered").isFalse();
        assertThat(sfn.answers()).extracting(ActivityStandIn.Answer::body).hasSize(1).allSatisfy(body -> assertThat(body)
                .contains("\"output\"").contains(TOKEN));
        assertThat(sfn.polls()).as("no poll after the stop began").isEqualTo(pollsBeforeStop);
    }

    @Test
    void pollErrorsBackOffAndRecoverWithTheHealthCheckDownThenUp() throws Exception {
        sfn.failPolls(400, "AccessDeniedException");
        try (LogCapture logs = new LogCapture()) {
            start("worker");
            await().atMost(Duration.ofSeconds(10)).until(() -> sfn.polls() >= 3);

            HealthCheck.Result down = consumerCheck();
            assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(down.getDetails()).containsEntry(AbstractHealthCheck.SERVICE_ERROR_CODE, "AccessDeniedException");
            int polls = sfn.polls();
            Thread.sleep(2_000);
            // 200 ms doubling: a handful in 2 s, where a poller without backoff would make thousands
            assertThat(sfn.polls() - polls).as("polls in 2 s of failures").isLessThan(10);
            assertThat(logs.events().stream().filter(e -> e.getLevel() == Level.WARN
                                                          && e.getFormattedMessage().contains("AccessDeniedException")))
                    .as("one WARN for the state change, not one per poll").hasSize(1);

            sfn.failPolls(0, null);
            sfn.offer(TOKEN, "{\"quantity\":1}");
            awaitAnswer("SendTaskSuccess");
        }
        assertThat(consumerCheck().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(endpoint("worker").getActivityCounters().pollErrors()).containsKey("AccessDeniedException");
    }

    @Test
    void emptyAnswersThatComeBackAtOnceDoNotMakeThePollerSpin() throws Exception {
        sfn.holdFor(0);
        start("worker");
        Thread.sleep(200);
        int polls = sfn.polls();

        Thread.sleep(3_000);

        // about one a second; spinning would be hundreds
        assertThat(sfn.polls() - polls).as("polls in 3 s").isBetween(1, 8);
    }

    @Test
    void aHundredOpenPollsHoldNoThreadEach() throws Exception {
        int threadsBefore = Thread.activeCount();

        start("hundred");
        await().atMost(Duration.ofSeconds(20)).until(() -> sfn.openPolls() == 100);

        assertThat(endpoint("hundred").getActivityCounters().pollsOpen()).isEqualTo(100);
        // the HTTP client's event loops and the endpoint's scheduler, not a hundred
        assertThat(Thread.activeCount() - threadsBefore).as("threads added for 100 open polls").isLessThan(30);
    }

    @Test
    void theDevConsoleShowsThePollsAndTasks() throws Exception {
        start("worker");
        sfn.offer(TOKEN, "{\"quantity\":1}");
        awaitAnswer("SendTaskSuccess");

        // the stand-in has the answer a moment before the consumer has its reply and counts it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> figures = endpoint("worker").figures();
            @SuppressWarnings("unchecked")
            Map<String, Object> activity = (Map<String, Object>) figures.get("activity");
            assertThat(activity).containsEntry("tasksTaken", 1L).containsEntry("succeeded", 1L);
            assertThat(figures).containsKey("answers");
        });
    }

    private void start(String route) throws Exception {
        context.addRoutes(route(route));
    }

    private SfnActivityEndpoint endpoint(String route) {
        return (SfnActivityEndpoint) context.getRoute(route).getEndpoint();
    }

    private ActivityStandIn.Answer awaitAnswer(String action) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !sfn.answers(action).isEmpty());
        return sfn.answers(action).get(0);
    }

    private HealthCheck.Result consumerCheck() {
        // Camel's consumers repository checks each route's consumer as consumer:<route id>, with the consumer's own check
        return HealthCheckHelper.invoke(context, (HealthCheck check) -> !check.getId().equals("consumer:worker"))
                .stream().filter(r -> r.getCheck().getId().equals("consumer:worker")).findFirst().orElseThrow();
    }
}
