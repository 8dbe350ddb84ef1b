package io.github.sfnfail.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * aws-sfn-activity against a stand-in that long-polls as AWS does: tasks run and answered, the route's own answer
 * respected, heartbeats, faults while polling, and what a stop does to a poll that is still open.
 */
class ActivityConsumerTest extends ActivityStandInTestSupport {

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
                    case "slow" -> from("aws-sfn-activity:" + ARN + "?heartbeatPeriod=200ms").routeId(id)
                            .delay(1500).syncDelayed()
                            .setBody(constant("{\"slow\":true}"));
                    case "self-answering" -> from("aws-sfn-activity:" + ARN + "?workerName=self").routeId(id)
                            .setBody(constant("{\"answeredBy\":\"route\"}"))
                            .to("aws-sfn-success:self");
                    case "hundred" -> from("aws-sfn-activity:" + ARN + "?concurrentPollers=100").routeId(id)
                            .log("task");
                    case "ten" -> from("aws-sfn-activity:" + ARN + "?concurrentPollers=10").routeId(id)
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

    @Test
    void theAnswersTimeLimitsDoNotCutALongPoll() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?apiCallTimeout=1s&apiCallAttemptTimeout=1s").routeId("limited")
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        Thread.sleep(2_500);
        assertThat(sfn.openPolls()).as("the poll outlives the answers' 1 s limits").isEqualTo(1);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        assertThat(endpoint("limited").getActivityCounters().pollErrors()).isEmpty();
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
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.INFO
                                                      && e.getFormattedMessage().contains("work again after"))
                    .as("one INFO line when the polls work again").hasSize(1);
        }
        assertThat(consumerCheck().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(endpoint("worker").getActivityCounters().pollErrors()).containsKey("AccessDeniedException");
    }

    /* Each poller backs off on its own failures: a blip costs none of them the 10-20 s a shared count would reach. */
    @Test
    void aBlipThatFailsEveryPollerOnceCostsEachOnlyAShortWait() throws Exception {
        start("ten");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 10);
        int polls = sfn.polls();

        // throttled polls: one attempt each (throttling is the pacer's to retry, not the SDK's)
        sfn.failPolls(400, "ThrottlingException");
        sfn.releasePolls();
        // fifteen failed polls, and DOWN: every poller's latest poll failed
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.polls() >= polls + 15
                                                          && consumerCheck("ten").getState() == HealthCheck.State.DOWN);
        sfn.failPolls(0, null);

        await().atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 10);
        // a poll works once it comes back: UP at the first
        sfn.releasePolls();
        await().atMost(Duration.ofSeconds(5)).until(() -> consumerCheck("ten").getState() == HealthCheck.State.UP);
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
        start(route(route));
    }

    private HealthCheck.Result consumerCheck() {
        return consumerCheck("worker");
    }

    private HealthCheck.Result consumerCheck(String route) {
        return HealthChecksOn.consumer(context, route);
    }
}
