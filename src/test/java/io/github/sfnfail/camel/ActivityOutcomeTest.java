package io.github.sfnfail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a task is answered, decided from what happened to it rather than from what a route leaves behind or clears in
 * its exchange: work that succeeds on a redelivery succeeds, a route that answered its task and then cleared its
 * properties is not answered again, the answer waits for a heartbeat of the route's own keeper, heartbeats go on while a
 * finished task's answer is sent again, and a task whose work ends in another route is answered there.
 */
class ActivityOutcomeTest extends ActivityStandInTestSupport {

    /** How often the step of a route fails before it works. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseWork() {
        release.countDown();
    }

    /** A step that fails with an IOException as often as failuresLeft says, then works. */
    private void flakyStep() throws IOException {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IOException("connection reset by the stock service");
        }
    }

    @Test
    void workThatSucceedsOnARedeliveryOfTheDefaultErrorHandlerIsASuccess() throws Exception {
        failuresLeft.set(1);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(10));
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .process(e -> flakyStep())
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        assertThat(awaitAnswer("SendTaskSuccess").body()).contains("reserved");
        assertThat(sfn.answers("SendTaskFailure")).isEmpty();
    }

    @Test
    void workThatSucceedsOnARedeliveryOfAnOnExceptionIsASuccess() throws Exception {
        failuresLeft.set(2);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IOException.class).maximumRedeliveries(3).redeliveryDelay(10);
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .process(e -> flakyStep())
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        assertThat(awaitAnswer("SendTaskSuccess").body()).contains("reserved");
        assertThat(sfn.answers("SendTaskFailure")).isEmpty();
    }

    @Test
    void aFailureAnErrorHandlerHandledStillFailsTheTaskWhenTheRouteClearsItsProperties() throws Exception {
        failuresLeft.set(10);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IOException.class).maximumRedeliveries(1).redeliveryDelay(10).handled(true)
                        .removeProperties("*");
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .process(e -> flakyStep())
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        assertThat(awaitAnswer("SendTaskFailure").body()).contains("\"error\":\"java.io.IOException\"")
                .contains("connection reset by the stock service");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
    }

    @Test
    void aHandledExceptionWithoutStepsFailsTheTaskEvenAfterRedeliveries() throws Exception {
        failuresLeft.set(10);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IOException.class).maximumRedeliveries(2).redeliveryDelay(10).handled(true);
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .process(e -> flakyStep())
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        assertThat(awaitAnswer("SendTaskFailure").body()).contains("\"error\":\"java.io.IOException\"");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
    }

    @Test
    void aRouteThatAnsweredItsTaskAndThenClearedItsPropertiesIsNotAnsweredAgain() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .setBody(constant("{\"reserved\":true}"))
                        .to("aws-sfn-success:self")
                        .removeProperties("*")
                        .setBody(constant("{\"after\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        awaitAnswer("SendTaskSuccess");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().answeredByRoute() == 1);
        assertThat(sfn.answers("SendTaskSuccess")).singleElement().satisfies(answer ->
                assertThat(answer.body()).contains("reserved"));
        assertThat(sfn.answers("SendTaskFailure")).isEmpty();
    }

    @Test
    void theAutomaticAnswerWaitsForAHeartbeatOfTheRoutesOwnKeeperOnItsWay() throws Exception {
        // each heartbeat is answered 600 ms after it arrived: the first (sent by the step itself) until 0.6 s, the
        // keeper's next from 0.7 s to 1.3 s, then from 1.4 s to 2 s; the route ends at 1.6 s, while that one is on its
        // way
        sfn.delayReplies("SendTaskHeartbeat", 600);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN).routeId("worker")
                        .to("aws-sfn-heartbeat:own?period=100ms")
                        .delay(1_000).syncDelayed()
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");

        List<ActivityStandIn.Answer> beats = sfn.answers("SendTaskHeartbeat");
        assertThat(beats).hasSizeGreaterThanOrEqualTo(2);
        for (ActivityStandIn.Answer beat : beats) {
            assertThat(beat.repliedAt()).as("a heartbeat's reply was sent before the success arrived").isPositive()
                    .isLessThan(success.arrivedNanos());
        }
    }

    @Test
    void heartbeatsGoOnWhileAFinishedTasksAnswerIsSentAgainAndNotAfterItLands() throws Exception {
        // the success is refused by a 503 for about 5 s (tries after 0.5, 1, 2 s...): the task must not time out
        sfn.failAnswers("SendTaskSuccess", 4, 503, "ServiceUnavailable");
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?heartbeatPeriod=300ms&maxAttempts=1").routeId("worker")
                        .setBody(constant("{\"reserved\":true}"));
            }
        });
        sfn.offer(TOKEN, "{}");

        await().atMost(Duration.ofSeconds(30)).until(() -> sfn.answers("SendTaskSuccess").size() == 5);
        List<ActivityStandIn.Answer> answers = sfn.answers();
        long firstTry = sfn.answers("SendTaskSuccess").get(0).arrivedNanos();
        long landed = sfn.answers("SendTaskSuccess").get(4).arrivedNanos();
        assertThat(answers).filteredOn(answer -> answer.action().equals("SendTaskHeartbeat")
                                                 && answer.arrivedNanos() > firstTry && answer.arrivedNanos() < landed)
                .as("heartbeats between the tries of the answer").hasSizeGreaterThanOrEqualTo(3);
        int atLanding = sfn.answers().size();
        await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5)).until(() -> sfn.answers().size() == atLanding);
        assertThat(sfn.answers().get(atLanding - 1).action()).as("nothing after the answer landed")
                .isEqualTo("SendTaskSuccess");
    }

    @Test
    void workThatEndsInAnotherRouteIsAnsweredThereAndHoldsItsSlotAndHeartbeatsUntilThen() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?autoAnswer=false&maxConcurrentTasks=1&heartbeatPeriod=200ms")
                        .routeId("worker")
                        .to("seda:slow-work");
                from("seda:slow-work").routeId("slow-work")
                        .process(e -> release.await(20, TimeUnit.SECONDS))
                        .setBody(constant("{\"done\":\"elsewhere\"}"))
                        .to("aws-sfn-success:elsewhere");
            }
        });
        sfn.offer(TOKEN, "{\"order\":1}");
        sfn.offer(TOKEN + "-second", "{\"order\":2}");

        // the first task's exchange ended at once; its work goes on in slow-work, and the task stays in hand
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskHeartbeat").size() >= 3);
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
        assertThat(endpoint("worker").getActivityCounters().tasksTaken()).as("no room for the second task").isOne();
        release.countDown();

        await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskSuccess").size() == 2);
        assertThat(sfn.answers("SendTaskSuccess")).extracting(ActivityStandIn.Answer::token)
                .containsExactly(TOKEN, TOKEN + "-second");
        assertThat(sfn.answers("SendTaskSuccess").get(0).body()).contains("elsewhere");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().tasksInHand() == 0);
        assertThat(endpoint("worker").getActivityCounters().answeredByRoute()).isEqualTo(2);
    }
}
