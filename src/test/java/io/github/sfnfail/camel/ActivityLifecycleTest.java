package io.github.sfnfail.camel;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a worker's route or context stops, is aborted, restarted or suspended, against a stand-in that holds polls
 * as AWS does: no task is left unanswered, and no started route is left without polls.
 */
class ActivityLifecycleTest extends ActivityStandInTestSupport {

    private static final String SECOND_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Second+Task+Token/Shape";

    /** Holds every task in the route until released. */
    private final CountDownLatch release = new CountDownLatch(1);
    /** The threads the route ran tasks on. */
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private SfnAsyncClient ownClient;
    private SfnClient ownSyncClient;

    @AfterEach
    void releaseAndClose() {
        release.countDown();
        if (ownClient != null) {
            ownClient.close();
        }
        if (ownSyncClient != null) {
            ownSyncClient.close();
        }
    }

    private RouteBuilder worker(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=lifecycle" + options).routeId("worker")
                        .process(e -> ran.add(e.getMessage().getHeader("CamelAwsSfnTaskToken", String.class)))
                        .choice().when(body().contains("\"hold\":true"))
                            .process(e -> release.await(60, TimeUnit.SECONDS))
                        .end()
                        .setBody(constant("{\"reserved\":true}"));
            }
        };
    }

    @Test
    void anIdleWorkersRouteStopsAtOnceAndLeavesItsPollOpen() throws Exception {
        start(worker(""));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        long began = System.nanoTime();
        context.getRouteController().stopRoute("worker");

        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("no waiting for a poll that holds no task")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(sfn.openPolls()).as("the poll is not cut: Step Functions may be handing it a task").isEqualTo(1);
        assertThat(context.getRouteController().getRouteStatus("worker")).isEqualTo(ServiceStatus.Stopped);
    }

    @Test
    void anAbortedStopLeavesTheRouteStartedAndPollingAgain() throws Exception {
        start(worker(""));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);

        boolean stopped = context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS, true);

        assertThat(stopped).as("the stop timed out with a task in hand and was aborted").isFalse();
        assertThat(context.getRouteController().getRouteStatus("worker")).isEqualTo(ServiceStatus.Started);
        release.countDown();
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 2);
        assertThat(sfn.answers("SendTaskSuccess").get(1).token()).isEqualTo(SECOND_TOKEN);
        assertThat(HealthChecksOn.consumer(context, "worker").getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aForcedStopFailsTheTaskTheRouteStillRunsWithWorkerStoppedAndBeatsNoMore() throws Exception {
        start(worker("&heartbeatPeriod=100ms"));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskHeartbeat").size() >= 2);

        try (LogCapture logs = new LogCapture()) {
            // Camel gives up waiting after the timeout (45 s by default) and forces the stop
            context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);

            ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
            assertThat(failure.token()).isEqualTo(TOKEN);
            assertThat(failure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"")
                    .contains("stopped while it ran this task");
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN
                                                        && event.getFormattedMessage().contains("still ran 1 task"))
                    .hasSize(1).allSatisfy(event -> assertThat(event.getFormattedMessage())
                            .contains(SfnActivityConsumer.WORKER_STOPPED));
        }
        int answersAtFailure = sfn.answers().size();
        release.countDown();
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> sfn.answers().size() == answersAtFailure);
        assertThat(sfn.answers().get(answersAtFailure - 1).action()).as("nothing after the failure")
                .isEqualTo("SendTaskFailure");
        assertThat(sfn.answers("SendTaskSuccess")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("worker").getActivityCounters().tasksInHand() == 0);
    }

    @Test
    void aContextStopWithTheApplicationsOwnClientAnswersTheTaskAnOpenPollBringsWithWorkerStopped() throws Exception {
        ownClient = SfnAsyncClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(sfn.url()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(70)))
                .build();
        context.getRegistry().bind("ownClient", ownClient);
        aContextStopAnswersTheTaskAnOpenPollBrings("&awsSfnAsyncClient=#ownClient");
    }

    @Test
    void aContextStopWithTheApplicationsSynchronousClientAnswersTheTaskAnOpenPollBringsWithWorkerStopped()
            throws Exception {
        ownSyncClient = SfnClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(sfn.url()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(70)))
                .build();
        context.getRegistry().bind("ownSyncClient", ownSyncClient);
        aContextStopAnswersTheTaskAnOpenPollBrings("&awsSfnClient=#ownSyncClient");
    }

    @Test
    void aContextStopKeepsTheClientItBuiltUntilTheOpenPollIsBackAndItsTaskAnswered() throws Exception {
        aContextStopAnswersTheTaskAnOpenPollBrings("");
    }

    private void aContextStopAnswersTheTaskAnOpenPollBrings(String options) throws Exception {
        start(worker(options));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        try (LogCapture logs = new LogCapture()) {
            Thread stopping = new Thread(context::stop, "stopping-the-context");
            stopping.start();
            // the stop waits for the poll: Step Functions may hand it a task for up to a minute
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(stopping::isAlive);
            sfn.offer(TOKEN, "{\"quantity\":1}");

            ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
            assertThat(failure.token()).isEqualTo(TOKEN);
            assertThat(failure.body()).contains("\"error\":\"" + SfnActivityConsumer.WORKER_STOPPED + "\"");
            stopping.join(Duration.ofSeconds(10).toMillis());
            assertThat(stopping.isAlive()).as("the stop ends once the poll is back and its task answered").isFalse();
            assertThat(ran).as("the stopped route ran nothing").isEmpty();
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
        }
    }

    @Test
    void aContextStopAfterTheRouteWasRemovedStillWaitsForThePollItLeftOpenAndAnswersItsTask() throws Exception {
        start(worker(""));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        context.getRouteController().stopRoute("worker");
        context.removeRoute("worker");

        Thread stopping = new Thread(context::stop, "stopping-the-context");
        stopping.start();
        // the component keeps the client the removed endpoint built until the poll it left open is back
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(stopping::isAlive);
        assertThat(sfn.openPolls()).isEqualTo(1);
        sfn.offer(TOKEN, "{\"quantity\":1}");

        ActivityStandIn.Answer failure = awaitAnswer("SendTaskFailure");
        assertThat(failure.token()).isEqualTo(TOKEN);
        assertThat(failure.body()).contains(SfnActivityConsumer.WORKER_STOPPED);
        stopping.join(Duration.ofSeconds(10).toMillis());
        assertThat(stopping.isAlive()).isFalse();
    }

    @Test
    void aRestartWhileALeftoverPollFailsEndsWithAPollOpen() throws Exception {
        start(worker(""));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        context.getRouteController().stopRoute("worker", 5, TimeUnit.SECONDS);

        // the thread that handles the failed leftover poll is held up (a GC pause, a busy core) at the worst moment:
        // right after it saw the consumer stopped, while the route starts again
        try (PausingAppender paused = PausingAppender.onMessage("ended after the stop")) {
            sfn.failHeldPolls(400, "AccessDeniedException");
            assertThat(paused.awaitPaused()).as("the leftover poll's failure is being handled").isTrue();
            Thread starting = new Thread(() -> {
                try {
                    context.getRouteController().startRoute("worker");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            starting.start();
            starting.join(1_000);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(TOKEN, "{\"quantity\":1}");
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
    }

    @Test
    void aSuspendedRouteTakesNoNewTaskAndPollsAgainWhenResumed() throws Exception {
        sfn.holdFor(500);
        start(worker(""));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        context.getRouteController().suspendRoute("worker");

        assertThat(context.getRouteController().getRouteStatus("worker")).isEqualTo(ServiceStatus.Suspended);
        // the poll open at the suspension comes back empty; no other follows it
        int polls = sfn.polls();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> sfn.openPolls() == 0 && sfn.polls() == polls);

        context.getRouteController().resumeRoute("worker");

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(TOKEN, "{\"quantity\":1}");
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
    }

    @Test
    void aTaskAPollBringsWhileTheStopWaitsForTheTaskInHandRunsAndIsAnsweredOnce() throws Exception {
        start(worker("&concurrentPollers=2"));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1 && sfn.openPolls() == 1);
        int pollsBeforeStop = sfn.polls();

        Thread stopping = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("worker", 20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopping.start();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(stopping::isAlive);
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 2);
        release.countDown();
        stopping.join(Duration.ofSeconds(20).toMillis());

        assertThat(stopping.isAlive()).isFalse();
        assertThat(sfn.answers("SendTaskSuccess")).extracting(ActivityStandIn.Answer::token)
                .containsExactlyInAnyOrder(TOKEN, SECOND_TOKEN);
        assertThat(sfn.answers()).hasSize(2);
        assertThat(sfn.polls()).as("no poll after the stop began").isEqualTo(pollsBeforeStop);
    }

    @Test
    void camelCountsEachTaskInHandOnceAndNoOpenPollAsPending() throws Exception {
        start(worker("&concurrentPollers=3"));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1 && sfn.openPolls() == 2);

        SfnActivityConsumer consumer = (SfnActivityConsumer) context.getRoute("worker").getConsumer();
        int inflight = context.getInflightRepository().size("worker");

        assertThat(inflight + consumer.getPendingExchangesSize()).isEqualTo(1);
    }
}
