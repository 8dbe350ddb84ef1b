package io.github.sfnfail.camel;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.engine.DefaultShutdownStrategy;
import org.apache.camel.spi.RouteStartupOrder;
import org.apache.camel.spi.ShutdownStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The paths a route takes that its worker, one per activity and owned by the context, must follow: a suspension that
 * timed out and a resume, a reload, a forced stop and a restart under maxConcurrentTasks, a graceful stop racing a
 * task, an aborted stop under a shutdown strategy of the application's, and two routes on one activity.
 */
class ActivityWorkerLifecycleTest extends ActivityStandInTestSupport {

    private static final String SECOND_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Second+Task+Token/Shape";

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> callThreads = new ConcurrentHashMap<>();
    private SfnAsyncClient ownClient;

    @AfterEach
    void releaseAndClose() {
        release.countDown();
        if (ownClient != null) {
            context.stop();
            ownClient.close();
        }
    }

    /** A worker whose tasks with "hold" in their input wait until released. */
    private RouteBuilder worker(String id, String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=lifecycle" + options).routeId(id)
                        .process(e -> {
                            ran.add(e.getMessage().getHeader("CamelAwsSfnTaskToken", String.class));
                            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        })
                        .choice().when(body().contains("\"hold\":true"))
                            .process(e -> release.await(60, TimeUnit.SECONDS))
                        .end()
                        .process(e -> running.decrementAndGet())
                        .setBody(constant("{\"reserved\":true}"));
            }
        };
    }

    @Test
    void aSuspensionThatTimesOutThenAResumePollsAgainAndIsHealthy() throws Exception {
        start(worker("worker", ""));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);

        // Camel gives up after 1 s, stops the consumer by force, then suspends and resumes that same consumer
        context.getRouteController().suspendRoute("worker", 1, TimeUnit.SECONDS);
        assertThat(awaitAnswer("SendTaskFailure").body()).contains(SfnActivityConsumer.WORKER_STOPPED);
        context.getRouteController().resumeRoute("worker");

        assertThat(context.getRouteController().getRouteStatus("worker")).isEqualTo(ServiceStatus.Started);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(SECOND_TOKEN);
        assertThat(HealthChecksOn.consumer(context, "worker").getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aReloadSharesTheOpenPollsAndRunsTheTasksTheyBring() throws Exception {
        start(worker("worker", "&concurrentPollers=3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 3);

        // a dev-mode or Kamelet reload: the route is removed and added again
        context.getRouteController().stopRoute("worker");
        context.removeRoute("worker");
        start(worker("worker", "&concurrentPollers=3"));

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 3);
        assertThat(sfn.mostPollsOpenSinceLastAsked()).as("no poll beside those still open").isEqualTo(3);
        sfn.offer(TOKEN, "{\"quantity\":1}");
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        assertThat(sfn.answers("SendTaskFailure")).as("no task failed while a route could run it").isEmpty();
    }

    @Test
    void aForcedStopAndARestartKeepMaxConcurrentTasksUntilTheGivenUpRouteEndsAndSayHowItEnded() throws Exception {
        start(worker("worker", "&maxConcurrentTasks=1"));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);
        context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);
        awaitAnswer("SendTaskFailure");

        context.getRouteController().startRoute("worker");
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 1);
        try (LogCapture logs = new LogCapture()) {
            release.countDown();
            assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(SECOND_TOKEN);
            assertThat(mostRunning.get()).as("route executions at once").isEqualTo(1);
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.INFO
                                                        && event.getFormattedMessage().contains("after the stop gave it up"))
                    .singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("was not answered").doesNotContain(TOKEN));
        }
    }

    @Test
    void aTaskThatStartsAsAGracefulStopFinishesCountingIsRunToItsEndNotGivenUp() throws Exception {
        start(worker("worker", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);

        Thread stopping;
        try (PausingAppender paused = PausingAppender.onMessage("Route worker has 0 task(s) in hand besides the 0")) {
            stopping = new Thread(() -> {
                try {
                    context.getRouteController().stopRoute("worker", 30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stopping.start();
            assertThat(paused.awaitPaused()).as("Camel counted no task in hand, and goes on in a moment").isTrue();
            // the poll left open by the stop brings a task before Camel goes on
            sfn.offer(TOKEN, "{\"hold\":true}");
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 1);
        }
        Thread.sleep(300);
        release.countDown();
        stopping.join(30_000);

        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        assertThat(sfn.answers("SendTaskFailure")).as("the stop never gave up on it").isEmpty();
    }

    @Test
    void aTaskThatComesOnceAGracefulStopHasCountedIsRefusedWithNoWorkDone() throws Exception {
        start(worker("worker", "&maxConcurrentTasks=2"));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);

        Thread stopping = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("worker", 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopping.start();
        release.countDown();
        stopping.join(30_000);
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        // the poll the stop left open brings a task now: no route runs it
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");

        ActivityStandIn.Answer refused = awaitAnswer("SendTaskFailure");
        assertThat(refused.token()).isEqualTo(SECOND_TOKEN);
        assertThat(refused.body()).contains(SfnActivityConsumer.WORKER_STOPPED).contains("no work was done");
    }

    @Test
    void anAbortedStopPollsAgainUnderAShutdownStrategyOfTheApplicationsOwn() throws Exception {
        context.setShutdownStrategy(new DelegatingShutdownStrategy(context.getShutdownStrategy()));
        start(worker("worker", ""));
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);

        boolean stopped = context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS, true);

        assertThat(stopped).isFalse();
        release.countDown();
        assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(SECOND_TOKEN, "{\"quantity\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 2);
    }

    @Test
    void aForcedStopSendsItsFailuresFromATimerThreadNotFromTheThreadCamelInterrupts() throws Exception {
        ownClient = SfnAsyncClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(sfn.url()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(70)))
                .overrideConfiguration(override -> override.addExecutionInterceptor(new RecordingCallThreads()))
                .build();
        context.getRegistry().bind("ownClient", ownClient);
        start(worker("worker", "&awsSfnAsyncClient=#ownClient&concurrentPollers=3"));
        for (int i = 0; i < 3; i++) {
            sfn.offer(TOKEN + i, "{\"hold\":true}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 3);

        context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskFailure").size() == 3);
        assertThat(callThreads.get("SendTaskFailure")).hasSize(3).allSatisfy(thread ->
                assertThat(thread).contains("AwsSfnTimer"));
    }

    @Test
    void aContextStopWaitsForEveryEndpointUntilOneDeadlineNotForEachInTurn() throws Exception {
        sfn.holdFor(3_000);
        context.getShutdownStrategy().setTimeout(1);
        start(worker("reserve", "&maxAttempts=1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN.replace("reserve-stock", "ship-order") + "?workerName=lifecycle"
                     + "&maxAttempts=1")
                        .routeId("ship").process(e -> release.await(60, TimeUnit.SECONDS));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.offer(SECOND_TOKEN, "{\"hold\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("ship").getActivityCounters().tasksInHand() == 1);
        // the stop gives both tasks up after 1 s; their failures are refused for a while, then land. Camel stops the
        // endpoint of ship first: the failure of reserve's task is refused longer, so that its endpoint waits after
        sfn.failAnswersAbout(TOKEN, 5, 503, "ServiceUnavailable");
        sfn.failAnswersAbout(SECOND_TOKEN, 3, 503, "ServiceUnavailable");

        try (LogCapture logs = new LogCapture(SfnTaskEndpoint.class)) {
            context.stop();

            List<Long> waits = logs.events().stream().map(event -> event.getFormattedMessage())
                    .filter(line -> line.contains("before it closes its client"))
                    .map(line -> Long.parseLong(line.replaceAll(".*at most (\\d+) s, the stop's deadline.*", "$1")))
                    .toList();
            assertThat(waits).as("the waits of both endpoints, as their stops say").hasSize(2);
            assertThat(waits.get(0)).isLessThanOrEqualTo(90);
            assertThat(waits.get(1)).as("what is left of the one deadline, not a wait of its own")
                    .isLessThan(waits.get(0));
        }
        assertThat(sfn.answers("SendTaskFailure")).extracting(ActivityStandIn.Answer::token)
                .contains(TOKEN, SECOND_TOKEN);
    }

    @Test
    void twoRoutesOnOneActivityShareOneWorkersPollsAndLimits() throws Exception {
        start(worker("first", "&concurrentPollers=2"));
        // another endpoint (Camel allows one consumer per endpoint), whose answer rules are its own
        start(worker("second", "&concurrentPollers=2&heartbeatPeriod=20s"));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 2);

        sfn.offer(TOKEN, "{\"quantity\":1}");
        sfn.offer(SECOND_TOKEN, "{\"quantity\":2}");

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 2);
        assertThat(context.getRoute("first").getEndpoint()).isNotSameAs(context.getRoute("second").getEndpoint());
        assertThat(endpoint("first").getActivityCounters()).isSameAs(endpoint("second").getActivityCounters());
    }

    @Test
    void twoRoutesOnOneWorkerWhoseOptionsDisagreeAreRefusedNamingBoth() throws Exception {
        start(worker("first", "&concurrentPollers=2"));

        assertThatThrownBy(() -> start(worker("second", "&concurrentPollers=3")))
                .hasStackTraceContaining("first").hasStackTraceContaining("second")
                .hasStackTraceContaining("concurrentPollers 2 and 3");
    }

    @Test
    void routesThatTogetherWouldPollAnActivityMoreThanAThousandTimesAreRefusedAtStart() throws Exception {
        sfn.holdFor(200);
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=a&maxConcurrentPollers=600").routeId("a")
                        .log(LoggingLevel.DEBUG, "a");
            }
        });

        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=b&maxConcurrentPollers=600").routeId("b")
                        .log(LoggingLevel.DEBUG, "b");
            }
        })).hasStackTraceContaining("1200").hasStackTraceContaining("1000").hasStackTraceContaining("[a]");
    }

    private final class RecordingCallThreads implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            callThreads.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    operation -> new CopyOnWriteArrayList<>()).add(Thread.currentThread().getName());
        }
    }

    /** A shutdown strategy of the application's own that hands every call to Camel's: no DefaultShutdownStrategy. */
    private static final class DelegatingShutdownStrategy extends org.apache.camel.support.service.ServiceSupport
            implements ShutdownStrategy, org.apache.camel.CamelContextAware {

        private final ShutdownStrategy delegate;

        DelegatingShutdownStrategy(ShutdownStrategy delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void doStart() throws Exception {
            org.apache.camel.support.service.ServiceHelper.startService(delegate);
        }

        @Override
        protected void doStop() throws Exception {
            org.apache.camel.support.service.ServiceHelper.stopService(delegate);
        }

        @Override
        public CamelContext getCamelContext() {
            return delegate instanceof org.apache.camel.CamelContextAware aware ? aware.getCamelContext() : null;
        }

        @Override
        public void setCamelContext(CamelContext camelContext) {
            if (delegate instanceof org.apache.camel.CamelContextAware aware) {
                aware.setCamelContext(camelContext);
            }
        }

        @Override
        public void shutdownForced(CamelContext context, List<RouteStartupOrder> routes) throws Exception {
            delegate.shutdownForced(context, routes);
        }

        @Override
        public void shutdown(CamelContext context, List<RouteStartupOrder> routes) throws Exception {
            delegate.shutdown(context, routes);
        }

        @Override
        public void suspend(CamelContext context, List<RouteStartupOrder> routes) throws Exception {
            delegate.suspend(context, routes);
        }

        @Override
        public void shutdown(CamelContext context, List<RouteStartupOrder> routes, long timeout, TimeUnit timeUnit)
                throws Exception {
            delegate.shutdown(context, routes, timeout, timeUnit);
        }

        @Override
        public boolean shutdown(CamelContext context, RouteStartupOrder route, long timeout, TimeUnit timeUnit,
                                boolean abortAfterTimeout) throws Exception {
            return delegate.shutdown(context, route, timeout, timeUnit, abortAfterTimeout);
        }

        @Override
        public void suspend(CamelContext context, List<RouteStartupOrder> routes, long timeout, TimeUnit timeUnit)
                throws Exception {
            delegate.suspend(context, routes, timeout, timeUnit);
        }

        @Override
        public void setTimeout(long timeout) {
            delegate.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return delegate.getTimeout();
        }

        @Override
        public void setTimeUnit(TimeUnit timeUnit) {
            delegate.setTimeUnit(timeUnit);
        }

        @Override
        public TimeUnit getTimeUnit() {
            return delegate.getTimeUnit();
        }

        @Override
        public void setSuppressLoggingOnTimeout(boolean suppressLoggingOnTimeout) {
            delegate.setSuppressLoggingOnTimeout(suppressLoggingOnTimeout);
        }

        @Override
        public boolean isSuppressLoggingOnTimeout() {
            return delegate.isSuppressLoggingOnTimeout();
        }

        @Override
        public void setShutdownNowOnTimeout(boolean shutdownNowOnTimeout) {
            delegate.setShutdownNowOnTimeout(shutdownNowOnTimeout);
        }

        @Override
        public boolean isShutdownNowOnTimeout() {
            return delegate.isShutdownNowOnTimeout();
        }

        @Override
        public void setShutdownRoutesInReverseOrder(boolean shutdownRoutesInReverseOrder) {
            delegate.setShutdownRoutesInReverseOrder(shutdownRoutesInReverseOrder);
        }

        @Override
        public boolean isShutdownRoutesInReverseOrder() {
            return delegate.isShutdownRoutesInReverseOrder();
        }

        @Override
        public void setLogInflightExchangesOnTimeout(boolean logInflightExchangesOnTimeout) {
            delegate.setLogInflightExchangesOnTimeout(logInflightExchangesOnTimeout);
        }

        @Override
        public boolean isLogInflightExchangesOnTimeout() {
            return delegate.isLogInflightExchangesOnTimeout();
        }

        @Override
        public boolean isForceShutdown() {
            return delegate.isForceShutdown();
        }

        @Override
        public boolean hasTimeoutOccurred() {
            return delegate.hasTimeoutOccurred();
        }

        @Override
        public LoggingLevel getLoggingLevel() {
            return delegate.getLoggingLevel();
        }

        @Override
        public void setLoggingLevel(LoggingLevel loggingLevel) {
            delegate.setLoggingLevel(loggingLevel);
        }
    }
}
