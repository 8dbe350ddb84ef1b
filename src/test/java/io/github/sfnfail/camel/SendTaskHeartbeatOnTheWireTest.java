package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.sfnfail.camel.heartbeat.SfnHeartbeatEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * aws-sfn-heartbeat on the wire: one SendTaskHeartbeat that leaves the body alone; a closed task tells the route to
 * stop; with a period, heartbeats as long as the exchange runs and not one after.
 */
class SendTaskHeartbeatOnTheWireTest extends WireMockSfnTestSupport {

    private static final int PERIOD_MILLIS = 200;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:beat").to("aws-sfn-heartbeat:worker");
                from("direct:ignoring").to("aws-sfn-heartbeat:ignoring?ignoreClosedTask=true");
                from("direct:retried").to("aws-sfn-heartbeat:retried?maxAttempts=2");
                from("direct:slowWork").to("aws-sfn-heartbeat:slow?period=" + PERIOD_MILLIS + "ms")
                        .process(e -> Thread.sleep(e.getMessage().getHeader("workMillis", Long.class)))
                        .setBody(simple("${body} done"));
                from("direct:loopedBeats").loop(3).to("aws-sfn-heartbeat:looped?period=" + PERIOD_MILLIS + "ms").end()
                        .process(e -> Thread.sleep(1_500));
                from("direct:beatThenAnswer").to("aws-sfn-heartbeat:answering?period=" + PERIOD_MILLIS + "ms")
                        .process(e -> Thread.sleep(600))
                        .setBody(constant("{\"done\":true}"))
                        .to("aws-sfn-success:answering")
                        .process(e -> Thread.sleep(1_500));
                from("direct:failingWork").to("aws-sfn-heartbeat:failing?period=" + PERIOD_MILLIS + "ms")
                        .process(e -> Thread.sleep(1_000))
                        .throwException(new IllegalStateException("work failed"));
            }
        };
    }

    @Test
    void sendsOneSendTaskHeartbeatAndLeavesTheBodyAsItIs() {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat-1")));

        Exchange result = beat("direct:beat", "half-rendered video");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isEqualTo("half-rendered video");
        assertThat(result.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("beat-1");
        SFN.verify(1, requested(HEARTBEAT_TARGET).withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN + "\"}")));
    }

    @Test
    void aClosedTaskFailsTheExchangeOrWithIgnoreClosedTaskTellsTheRouteToStop() {
        SFN.stubFor(sendTaskHeartbeat().willReturn(taskClosed()));

        Exchange failed = beat("direct:beat", "work");
        Exchange told = beat("direct:ignoring", "work");

        assertThat(failed.getException()).isInstanceOf(TaskTimedOutException.class);
        assertThat(told.getException()).isNull();
        assertThat(told.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
        assertThat(told.getMessage().getBody()).isEqualTo("work");
    }

    @Test
    void aClosedTaskAfterALostReplyIsStillClosedBySomeoneElseSinceAHeartbeatClosesNothing() {
        SFN.stubFor(sendTaskHeartbeat().inScenario("lost").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("closed"));
        SFN.stubFor(sendTaskHeartbeat().inScenario("lost").whenScenarioStateIs("closed").willReturn(taskClosed()));

        Exchange result = beat("direct:retried", "work");

        assertThat(result.getException()).isInstanceOf(TaskTimedOutException.class);
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isNull();
    }

    @Test
    void withAPeriodItBeatsWhileTheWorkRunsAndNotOnceAfter() {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));

        Exchange result = template.request("direct:slowWork", e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setHeader("workMillis", 2_000L);
            e.getMessage().setBody("video");
        });
        int whenDone = heartbeats();

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isEqualTo("video done");
        // one at once, then one every 200 ms of the 2 s of work: about 10, at least a few however loaded the machine
        assertThat(whenDone).isBetween(3, 12);
        assertNoneAfter(whenDone);
        assertThat(keptAlive("aws-sfn-heartbeat:slow?period=" + PERIOD_MILLIS + "ms")).isZero();
    }

    @Test
    void aLoopAroundAPeriodicHeartbeatKeepsTheTaskAliveOnceNotOncePerPass() throws Exception {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));
        String uri = "aws-sfn-heartbeat:looped?period=" + PERIOD_MILLIS + "ms";

        var reply = template.asyncRequestBodyAndHeader("direct:loopedBeats", "video", SfnConstants.TASK_TOKEN, TOKEN);
        await().atMost(10, TimeUnit.SECONDS).until(() -> heartbeats() >= 3);
        assertThat(keptAlive(uri)).as("keepers for one exchange and task").isEqualTo(1);
        reply.get(10, TimeUnit.SECONDS);

        // three from the loop, then one every 200 ms of 1.5 s: about 10; three keepers would send about 25
        assertThat(heartbeats()).isBetween(4, 13);
        assertThat(keptAlive(uri)).isZero();
    }

    @Test
    void theTasksSuccessEndsItsHeartbeatsWhileTheRouteGoesOn() throws Exception {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("done")));
        String uri = "aws-sfn-heartbeat:answering?period=" + PERIOD_MILLIS + "ms";

        try (LogCapture logs = new LogCapture()) {
            var reply = template.asyncRequestBodyAndHeader("direct:beatThenAnswer", "video", SfnConstants.TASK_TOKEN,
                    TOKEN);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !SFN.findAll(requested(SUCCESS_TARGET)).isEmpty());
            await().atMost(1, TimeUnit.SECONDS).until(() -> keptAlive(uri) == 0);
            reply.get(10, TimeUnit.SECONDS);

            java.util.Date answered = SFN.findAll(requested(SUCCESS_TARGET)).get(0).getLoggedDate();
            assertThat(SFN.findAll(requested(HEARTBEAT_TARGET)).stream().filter(r -> r.getLoggedDate().after(answered)))
                    .as("heartbeats after the success, of 1.5 s of the route's work after it").hasSizeLessThanOrEqualTo(1);
            assertThat(logs.lines()).noneMatch(line -> line.contains("heartbeats stopped"));
        }
    }

    @Test
    void heartbeatsStopWhenTheExchangeFailsToo() {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));

        Exchange result = beat("direct:failingWork", "video");
        int whenDone = heartbeats();

        assertThat(result.getException()).hasMessage("work failed");
        assertThat(whenDone).isGreaterThanOrEqualTo(2);
        assertNoneAfter(whenDone);
    }

    @Test
    void aClosedTaskStopsThePeriodicHeartbeatsAndSetsTheExchangeProperty() {
        SFN.stubFor(sendTaskHeartbeat().inScenario("closing").whenScenarioStateIs(STARTED)
                .willReturn(accepted("beat-1")).willSetStateTo("closed"));
        SFN.stubFor(sendTaskHeartbeat().inScenario("closing").whenScenarioStateIs("closed").willReturn(taskClosed()));

        try (LogCapture logs = new LogCapture()) {
            Exchange result = template.request("direct:slowWork", e -> {
                e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
                e.getMessage().setHeader("workMillis", 6 * (long) PERIOD_MILLIS);
            });

            assertThat(result.getException()).as("the work itself goes on and completes").isNull();
            assertThat(result.getProperty(SfnConstants.TASK_CLOSED)).isEqualTo(true);
            assertThat(heartbeats()).as("the first, then the one that found the task closed").isEqualTo(2);
            assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("heartbeats stopped", TaskTokens.mask(TOKEN)).doesNotContain(TOKEN));
        }
    }

    @Test
    void aHeartbeatThatFailsForAPassingReasonNeverFailsTheExchange() {
        SFN.stubFor(sendTaskHeartbeat().inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(accepted("beat-1")).willSetStateTo("down"));
        SFN.stubFor(sendTaskHeartbeat().inScenario("flaky").whenScenarioStateIs("down")
                .willReturn(awsError(400, "AccessDeniedException", "a passing IAM hiccup")).willSetStateTo("up"));
        SFN.stubFor(sendTaskHeartbeat().inScenario("flaky").whenScenarioStateIs("up").willReturn(accepted("beat-3")));

        Exchange result = template.request("direct:slowWork", e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setHeader("workMillis", 8 * (long) PERIOD_MILLIS);
        });

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(SfnConstants.TASK_CLOSED)).isNull();
        assertThat(heartbeats()).as("it went on after the failed one").isGreaterThanOrEqualTo(3);
    }

    @Test
    void stoppingTheEndpointStopsItsHeartbeats() throws Exception {
        SFN.stubFor(sendTaskHeartbeat().willReturn(accepted("beat")));
        var reply = template.asyncRequestBodyAndHeaders("direct:slowWork", "video",
                java.util.Map.of(SfnConstants.TASK_TOKEN, TOKEN, "workMillis", 3_000L));
        String uri = "aws-sfn-heartbeat:slow?period=" + PERIOD_MILLIS + "ms";
        await().atMost(10, TimeUnit.SECONDS).until(() -> heartbeats() >= 2);

        context.getEndpoint(uri).stop();
        int whenStopped = heartbeats();
        sleep(3 * PERIOD_MILLIS);

        assertThat(heartbeats()).isLessThanOrEqualTo(whenStopped + 1);
        assertThat(keptAlive(uri)).isZero();
        reply.get(10, TimeUnit.SECONDS);
    }

    private int keptAlive(String uri) {
        return context.getEndpoint(uri, SfnHeartbeatEndpoint.class).getTasksKeptAlive();
    }

    /** At most the one heartbeat that was on its way when the exchange completed, then none. */
    private static void assertNoneAfter(int whenDone) {
        sleep(PERIOD_MILLIS);
        int settled = heartbeats();
        assertThat(settled).as("at most one on its way when the exchange completed").isLessThanOrEqualTo(whenDone + 1);
        sleep(3 * PERIOD_MILLIS);
        assertThat(heartbeats()).as("none after the exchange completed").isEqualTo(settled);
    }

    private Exchange beat(String route, Object body) {
        return template.request(route, e -> {
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
            e.getMessage().setBody(body);
        });
    }

    private static int heartbeats() {
        return SFN.findAll(requested(HEARTBEAT_TARGET)).size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
