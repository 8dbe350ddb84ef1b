package io.github.sfnfail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.PrototypeExchangeFactory;
import org.apache.camel.spi.ExchangeFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the activity consumer answers when the route's outcome is not plain: an answer that fails for a passing reason
 * is sent again until it lands, output that cannot be sent or a success Step Functions refuses for good fails the task
 * saying why, and an exception the route caught fails the task unless the route opts out.
 */
class ActivityAnswerRulesTest extends ActivityStandInTestSupport {

    private static final String SECOND_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Second+Task+Token/Shape";

    private RouteBuilder route(String id) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                switch (id) {
                    case "worker" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            .setBody(constant("{\"reserved\":true}"));
                    case "broken-stream" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            .process(e -> e.getMessage().setBody(new BrokenStream()));
                    case "handled" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            .onException(IllegalStateException.class).handled(true)
                                .setHeader(SfnConstants.ERROR, constant("OutOfStock"))
                                .setHeader(SfnConstants.CAUSE, simple("${exception.message}"))
                            .end()
                            .throwException(new IllegalStateException("no stock left for o-7"));
                    case "caught" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            .doTry()
                                .throwException(new IllegalArgumentException("bad order"))
                            .doCatch(IllegalArgumentException.class)
                                .log("caught ${exception.message}")
                            .end()
                            .setBody(constant("{\"leftOver\":true}"));
                    case "caught-opt-out" -> from("aws-sfn-activity:" + ARN + "?failOnCaughtException=false").routeId(id)
                            .doTry()
                                .throwException(new IllegalArgumentException("cache miss"))
                            .doCatch(IllegalArgumentException.class)
                                .setBody(constant("{\"recovered\":true}"))
                            .end();
                    case "rolled-back" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            .setBody(constant("{\"leftOver\":true}"))
                            .markRollbackOnly();
                    case "second-task-closes" -> from("aws-sfn-activity:" + ARN).routeId(id)
                            // the route keeps a second task alive beside its own; that one is closed meanwhile
                            .setHeader(SfnConstants.TASK_TOKEN, constant(SECOND_TOKEN))
                            .to("aws-sfn-heartbeat:other?period=50ms")
                            .delay(500).syncDelayed()
                            .setBody(constant("{\"reserved\":true}"));
                    case "answers-itself" -> from("aws-sfn-activity:" + ARN + "?heartbeatPeriod=40ms").routeId(id)
                            .delay(300).syncDelayed()
                            .setBody(constant("{\"reserved\":true}"))
                            .to("aws-sfn-success:self");
                    default -> throw new IllegalArgumentException(id);
                }
            }
        };
    }

    @Test
    void anAnswerThatFailsForAPassingReasonIsSentAgainUntilItLands() throws Exception {
        // more 503s than the SDK's four attempts of one delivery
        sfn.failAnswers("SendTaskSuccess", 6, 503, "ServiceUnavailable");
        start(route("worker"));

        sfn.offer(TOKEN, "{}");

        ActivityCounters counters = endpoint("worker").getActivityCounters();
        await().atMost(Duration.ofSeconds(20)).until(() -> counters.succeeded() == 1);
        assertThat(sfn.answers("SendTaskSuccess")).hasSizeGreaterThanOrEqualTo(7);
        assertThat(counters.answersLost()).isZero();
        assertThat(counters.tasksInHand()).isZero();
    }

    @Test
    void aTaskWhoseExchangeCannotBeMadeIsFailedAtOnceNotLeftInHand() throws Exception {
        aTaskWhoseExchangeCannotBeMadeIsFailedAtOnce(new FailingOnceExchangeFactory(
                () -> new IllegalStateException("no exchange for this one")));
    }

    @Test
    void anErrorWhileTheExchangeIsMadeFailsTheTaskAtOnceToo() throws Exception {
        aTaskWhoseExchangeCannotBeMadeIsFailedAtOnce(new FailingOnceExchangeFactory(
                () -> new OutOfMemoryError("unable to create native thread")));
    }

    @Test
    void anExchangeWhoseReleaseThrowsFreesItsTasksSlotAllTheSame() throws Exception {
        FailingOnceExchangeFactory failing = new FailingOnceExchangeFactory((java.util.function.Supplier<Throwable>) null);
        failing.setCamelContext(context);
        context.getCamelContextExtension().setExchangeFactory(failing);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?maxConcurrentTasks=1").routeId("worker")
                        .setBody(constant("{\"reserved\":true}"));
            }
        });

        sfn.offer(TOKEN, "{}");
        sfn.offer(SECOND_TOKEN, "{}");

        await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskSuccess").size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().tasksInHand() == 0);
    }

    private void aTaskWhoseExchangeCannotBeMadeIsFailedAtOnce(FailingOnceExchangeFactory failing) throws Exception {
        failing.setCamelContext(context);
        context.getCamelContextExtension().setExchangeFactory(failing);
        start(route("worker"));

        sfn.offer(TOKEN, "{}");

        ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
        assertThat(failure.token()).isEqualTo(TOKEN);
        assertThat(failure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"",
                "could not start a Camel exchange");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().tasksInHand() == 0);
        // the next task runs as usual
        sfn.offer(SECOND_TOKEN, "{}");
        await().atMost(Duration.ofSeconds(15)).until(() -> !sfn.answers("SendTaskSuccess").isEmpty());
        assertThat(sfn.answers("SendTaskSuccess").get(0).token()).isEqualTo(SECOND_TOKEN);
    }

    /**
     * Camel's exchange factory, whose first exchange for an activity endpoint fails to be made with the given failure,
     * or, with none, whose first release of one throws.
     */
    private static final class FailingOnceExchangeFactory extends PrototypeExchangeFactory {
        private static final AtomicBoolean FAIL_NEXT = new AtomicBoolean(true);
        private static volatile java.util.function.Supplier<Throwable> failure;

        FailingOnceExchangeFactory(java.util.function.Supplier<Throwable> failure) {
            FAIL_NEXT.set(true);
            FailingOnceExchangeFactory.failure = failure;
        }

        FailingOnceExchangeFactory(Consumer consumer) {
            super(consumer);
        }

        @Override
        public ExchangeFactory newExchangeFactory(Consumer consumer) {
            FailingOnceExchangeFactory factory = new FailingOnceExchangeFactory(consumer);
            factory.setCamelContext(getCamelContext());
            return factory;
        }

        @Override
        protected void doStart() throws Exception {
            // the context's own factory has no consumer to register with Camel's manager; its consumers' ones do
            if (getConsumer() != null) {
                super.doStart();
            }
        }

        @Override
        protected void doStop() throws Exception {
            if (getConsumer() != null) {
                super.doStop();
            }
        }

        @Override
        public Exchange create(Endpoint fromEndpoint, boolean autoRelease) {
            if (fromEndpoint instanceof SfnActivityEndpoint && failure != null && FAIL_NEXT.getAndSet(false)) {
                Throwable thrown = failure.get();
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) thrown;
            }
            return super.create(fromEndpoint, autoRelease);
        }

        @Override
        public boolean release(Exchange exchange) {
            if (failure == null && exchange.getFromEndpoint() instanceof SfnActivityEndpoint
                && FAIL_NEXT.getAndSet(false)) {
                throw new IllegalStateException("the pool of exchanges is broken");
            }
            return super.release(exchange);
        }
    }

    @Test
    void outputThatCannotBeReadFailsTheTaskSayingWhy() throws Exception {
        ActivityStandIn.Answer failure = answerOfOneTask("broken-stream", "SendTaskFailure");

        assertThat(failure.body()).contains("disk gone");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
        assertThat(endpoint("broken-stream").getActivityCounters().answersLost()).isZero();
    }

    @Test
    void aSuccessRefusedForGoodFailsTheTaskInstead() throws Exception {
        sfn.failAnswers("SendTaskSuccess", 1, 400, "InvalidOutput");
        start(route("worker"));

        sfn.offer(TOKEN, "{}");

        ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
        assertThat(failure.token()).isEqualTo(TOKEN);
        assertThat(failure.body()).contains("\"error\":\"software.amazon.awssdk.services.sfn.model.InvalidOutputException\"");
        assertThat(sfn.answers("SendTaskSuccess")).as("the refused success was not sent again").hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().failed() == 1);
        assertThat(endpoint("worker").getActivityCounters().answersLost()).isZero();
    }

    @Test
    void anExceptionHandledByOnExceptionFailsTheTaskWithTheErrorTheRouteSetAndSaysSoInOneInfoLine() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            ActivityStandIn.Answer failure = answerOfOneTask("handled", "SendTaskFailure");

            assertThat(failure.body()).contains("\"error\":\"OutOfStock\"").contains("no stock left for o-7");
            assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
            assertThat(logs.events()).filteredOn(event -> event.getFormattedMessage().contains("did not answer the task"))
                    .singleElement().satisfies(event -> {
                        assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
                        assertThat(event.getFormattedMessage()).contains("java.lang.IllegalStateException")
                                .contains("failing it");
                    });
        }
    }

    @Test
    void anExceptionADoCatchLoggedFailsTheTask() throws Exception {
        ActivityStandIn.Answer failure = answerOfOneTask("caught", "SendTaskFailure");

        assertThat(failure.body()).contains("\"error\":\"java.lang.IllegalArgumentException\"").contains("bad order");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
    }

    @Test
    void failOnCaughtExceptionFalseAnswersSuccessWithTheBody() throws Exception {
        ActivityStandIn.Answer success = answerOfOneTask("caught-opt-out", "SendTaskSuccess");

        assertThat(success.body()).contains("recovered");
        assertThat(sfn.answers("SendTaskFailure")).isEmpty();
    }

    @Test
    void workTheRouteRolledBackFailsTheTask() throws Exception {
        ActivityStandIn.Answer failure = answerOfOneTask("rolled-back", "SendTaskFailure");

        assertThat(failure.token()).isEqualTo(TOKEN);
        assertThat(failure.body()).contains("\"error\":\"AwsSfnActivity.RolledBack\"").contains("markRollbackOnly");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
    }

    @Test
    void anotherTaskTheRouteKeptAliveClosingDoesNotStopTheAnswerToItsOwn() throws Exception {
        start(route("second-task-closes"));
        sfn.offer(TOKEN, "{}");
        // the second task is closed once the route keeps it alive: its next heartbeat finds it closed
        await().atMost(Duration.ofSeconds(10)).until(() -> !sfn.answers("SendTaskHeartbeat").isEmpty());
        sfn.closeTask(SECOND_TOKEN);

        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");

        assertThat(success.token()).isEqualTo(TOKEN);
        assertThat(sfn.answers("SendTaskHeartbeat")).extracting(ActivityStandIn.Answer::token)
                .containsOnly(SECOND_TOKEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("second-task-closes").getActivityCounters()
                .succeeded() == 1);
        assertThat(endpoint("second-task-closes").getActivityCounters().closedByService()).isZero();
    }

    @Test
    void noHeartbeatFollowsTheSuccessTheRouteSentOnTheWire() throws Exception {
        // the success is long on its way: the keeper beats every 40 ms meanwhile unless it stopped before it
        sfn.delayReplies("SendTaskSuccess", 400);

        answerOfOneTask("answers-itself", "SendTaskSuccess");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("answers-itself").getActivityCounters()
                .answeredByRoute() == 1);
        Thread.sleep(200);

        List<String> actions = sfn.answers().stream().map(ActivityStandIn.Answer::action).toList();
        assertThat(actions).contains("SendTaskHeartbeat");
        assertThat(actions.subList(actions.indexOf("SendTaskSuccess"), actions.size()))
                .as("what reached Step Functions from the success on").containsExactly("SendTaskSuccess");
    }

    /** Starts the route, hands it one task, and waits for the first answer of this action. */
    private ActivityStandIn.Answer answerOfOneTask(String route, String action) throws Exception {
        start(route(route));
        sfn.offer(TOKEN, "{}");
        return awaitAnswer(action);
    }

    /** A body whose bytes cannot be read: a file on a disk that went away. */
    private static final class BrokenStream extends InputStream {
        @Override
        public int read() throws IOException {
            throw new IOException("disk gone");
        }
    }
}
