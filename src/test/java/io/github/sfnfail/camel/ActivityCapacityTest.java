package io.github.sfnfail.camel;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Many tasks on few polls: maxConcurrentTasks tasks in hand apart from the open polls, and polls that follow the work
 * between concurrentPollers and maxConcurrentPollers, with every promise kept (no task taken that cannot start, one
 * keeper per task, every task in hand answered by a stop).
 */
class ActivityCapacityTest extends ActivityStandInTestSupport {

    /** Holds every task in the route until released. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final CountDownLatch allTenBlocked = new CountDownLatch(10);
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @AfterEach
    void releaseTasks() {
        release.countDown();
    }

    private RouteBuilder worker(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=capacity" + options).routeId("worker")
                        .process(e -> {
                            started.add(e.getMessage().getHeader(SfnConstants.TASK_TOKEN, String.class));
                            threads.add(Thread.currentThread().getName());
                        })
                        .choice().when(body().contains("\"hold\":true"))
                            .process(e -> release.await(60, TimeUnit.SECONDS))
                        .end()
                        .setBody(constant("{\"done\":true}"));
            }
        };
    }

    private RouteBuilder blockingWorker(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?workerName=blocking" + options).routeId("worker")
                        .process(e -> started.add(e.getMessage().getHeader(SfnConstants.TASK_TOKEN, String.class)))
                        // a blocking step: the route's thread waits in it until ten tasks are in it together
                        .process(e -> {
                            allTenBlocked.countDown();
                            allTenBlocked.await(30, TimeUnit.SECONDS);
                        })
                        .setBody(constant("{\"done\":true}"));
            }
        };
    }

    @Test
    void onePollerKeepsAsManyTasksInHandAsMaxConcurrentTasksAndTakesNoMore() throws Exception {
        start(worker("&maxConcurrentTasks=5"));
        for (int i = 0; i < 6; i++) {
            sfn.offer(token(i), "{\"hold\":true}");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 5);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> started.size() == 5 && sfn.openPolls() == 0);
        assertThat(sfn.mostPollsOpenSinceLastAsked()).as("never more than one poll: the only poller").isEqualTo(1);
        assertThat(endpoint("worker").getTasksInHand()).isEqualTo(5);

        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 6);
        assertThat(sfn.answers("SendTaskSuccess")).extracting(ActivityStandIn.Answer::token).doesNotHaveDuplicates();
    }

    @Test
    void pollsGrowToMaxConcurrentPollersWhileTheyBringTasksAndShrinkBackOnEmptyAnswersWithoutCuttingOne()
            throws Exception {
        // held long enough for the eight polls that follow the burst to be open at once on a busy machine
        sfn.holdFor(4_000);
        start(worker("&concurrentPollers=1&maxConcurrentPollers=8&maxConcurrentTasks=200"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 1);
        sfn.mostPollsOpenSinceLastAsked();

        for (int i = 0; i < 100; i++) {
            sfn.offer(token(i), "{\"hold\":true}");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 100);
        assertThat(endpoint("worker").getPollersWanted()).as("polls wanted after a burst").isEqualTo(8);
        // the eighth poll may still be on its way when the last task has started
        AtomicInteger mostOpen = new AtomicInteger();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> mostOpen.accumulateAndGet(sfn.mostPollsOpenSinceLastAsked(), Math::max) >= 8);
        assertThat(mostOpen.get()).as("open polls at most").isEqualTo(8);
        // the burst is over: each poll comes back empty after its hold, and each extra poller goes with its own
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("worker").getPollersWanted() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> sfn.mostPollsOpenSinceLastAsked() <= 1);
        assertThat(endpoint("worker").getActivityCounters().pollErrors()).as("no poll cut off or failed").isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 100);
    }

    @Test
    void theStartLineSaysHowManyPollsBetweenTheFewestAndTheMost() throws Exception {
        try (LogCapture logs = new LogCapture(SfnActivityConsumer.class)) {
            start(worker("&concurrentPollers=2&maxConcurrentPollers=8&maxConcurrentTasks=50"));

            assertThat(logs.lines()).anyMatch(line -> line.endsWith(" with 2 to 8 long poll(s)"));
        }
    }

    @Test
    void aThrottledPollHalvesThePollsOpenSoThatOneWorkersBurstDoesNotThrottleTheFleet() throws Exception {
        start(worker("&concurrentPollers=1&maxConcurrentPollers=16&maxConcurrentTasks=200"));
        for (int i = 0; i < 100; i++) {
            sfn.offer(token(i), "{\"hold\":true}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 16);

        sfn.failPolls(400, "ThrottlingException");
        sfn.failHeldPolls(400, "ThrottlingException");

        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint("worker").getPollersWanted() == 1);
        sfn.failPolls(0, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> sfn.openPolls() >= 1);
        sfn.mostPollsOpenSinceLastAsked();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> sfn.mostPollsOpenSinceLastAsked() == 1);
    }

    @Test
    void everyTaskInHandIsKeptAliveByItsOwnHeartbeats() throws Exception {
        start(worker("&concurrentPollers=2&maxConcurrentTasks=20&heartbeatPeriod=100ms"));
        for (int i = 0; i < 20; i++) {
            sfn.offer(token(i), "{\"hold\":true}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 20);

        await().atMost(Duration.ofSeconds(10)).until(() -> beatsPerToken().size() == 20
                                                           && beatsPerToken().values().stream().allMatch(n -> n >= 2));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskSuccess").size() == 20);
    }

    @Test
    void moreThanAThousandTasksInHandEachKeepTheirHeartbeatsAndAFailedAnswerIsSentAgain() throws Exception {
        int tasks = 1010;
        List<Parked> parked = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?concurrentPollers=4&maxConcurrentPollers=16&maxConcurrentTasks="
                     + (tasks + 16) + "&heartbeatPeriod=2s").routeId("worker")
                        .process(new AsyncProcessorSupport() {
                            @Override
                            public boolean process(Exchange exchange, AsyncCallback callback) {
                                parked.add(new Parked(exchange, callback));
                                return false;
                            }
                        });
            }
        });
        for (int i = 0; i < tasks; i++) {
            sfn.offer(token(i), "{}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> parked.size() == tasks);

        // every task in hand has a heartbeat and a place on the endpoint's timer, past a thousand
        await().atMost(Duration.ofSeconds(15)).until(() -> beatsPerToken().size() == tasks);
        // an answer that fails for a passing reason goes again from the same timer
        sfn.failAnswers("SendTaskSuccess", 6, 503, "ServiceUnavailable");
        Parked first = parked.get(0);
        first.exchange().getMessage().setBody("{\"done\":true}");
        first.callback().done(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint("worker").getActivityCounters().succeeded() == 1);
        assertThat(endpoint("worker").getAnswersLost()).isZero();
        parked.stream().skip(1).forEach(p -> {
            p.exchange().getMessage().setBody("{\"done\":true}");
            p.callback().done(false);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint("worker").getActivityCounters().succeeded() == tasks);
    }

    private record Parked(Exchange exchange, AsyncCallback callback) {
    }

    @Test
    void aForcedStopFailsEveryTaskInHandWithWorkerStopped() throws Exception {
        start(worker("&concurrentPollers=2&maxConcurrentTasks=10"));
        for (int i = 0; i < 10; i++) {
            sfn.offer(token(i), "{\"hold\":true}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 10);

        context.getRouteController().stopRoute("worker", 1, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.answers("SendTaskFailure").size() == 10);
        assertThat(sfn.answers("SendTaskFailure")).allSatisfy(failure -> assertThat(failure.body())
                .contains(SfnActivityConsumer.WORKER_STOPPED)).extracting(ActivityStandIn.Answer::token)
                .doesNotHaveDuplicates();
    }

    @Test
    void aBlockingRouteRunsItsTasksSideBySideOnAThreadEachWithoutStarvingThePolls() throws Exception {
        start(blockingWorker("&concurrentPollers=2&maxConcurrentTasks=10"));
        for (int i = 0; i < 10; i++) {
            sfn.offer(token(i), "{}");
        }

        // one after the other, the first would wait in its step for nine that never come
        assertThat(allTenBlocked.await(30, TimeUnit.SECONDS)).as("ten tasks blocked in the route at once").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> sfn.answers("SendTaskSuccess").size() == 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> sfn.openPolls() == 2);
    }

    @Test
    void anAsynchronousRouteHoldsNoThreadPerTaskInHand() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?concurrentPollers=4&maxConcurrentPollers=8&maxConcurrentTasks=200")
                        .routeId("worker")
                        .process(e -> threads.add(Thread.currentThread().getName()))
                        .delay(1000).asyncDelayed()
                        .setBody(constant("{\"done\":true}"));
            }
        });
        for (int i = 0; i < 200; i++) {
            sfn.offer(token(i), "{}");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> sfn.answers("SendTaskSuccess").size() == 200);

        assertThat(threads).as("consumer threads that ran the 200 tasks").hasSizeLessThan(20);
    }

    @Test
    void optionsThatCouldNeverHoldTheirPollsTasksAreRefusedAtStartNamingTheOption() {
        assertThatThrownBy(() -> start(worker("&concurrentPollers=4&maxConcurrentTasks=2"))).rootCause()
                .hasMessageContaining("maxConcurrentTasks must be at least concurrentPollers (4), not 2");
        assertThatThrownBy(() -> start(worker("&concurrentPollers=4&maxConcurrentPollers=2")))
                .rootCause().hasMessageContaining("maxConcurrentPollers must be at least concurrentPollers (4)")
                .hasMessageContaining("not 2");
        assertThatThrownBy(() -> start(worker("&maxConcurrentPollers=1001")))
                .rootCause().hasMessageContaining("at most 1000");
    }

    @Test
    void jmxTheDevConsoleAndMicrometerShowThePollsWantedAndTheLimitOfTasks() throws Exception {
        io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        context.getRegistry().bind("meters", meters);
        start(worker("&concurrentPollers=2&maxConcurrentPollers=6&maxConcurrentTasks=50"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 2);

        assertThat(endpoint("worker").getPollersWanted()).isEqualTo(2);
        assertThat(endpoint("worker").getTaskLimit()).isEqualTo(50);
        @SuppressWarnings("unchecked")
        Map<String, Object> activity = (Map<String, Object>) endpoint("worker").figures().get("activity");
        assertThat(activity).containsEntry("pollersWanted", 2L).containsEntry("taskLimit", 50L)
                .containsEntry("pollsOpen", 2L).containsEntry("tasksInHand", 0L);
        // Micrometer holds what a gauge reads only weakly: after a collection the meters must still read their figures
        WeakReference<Object> collected = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return collected.get() == null;
        });
        assertThat(meters.get("camel.aws.sfn.activity.pollers").gauge().value()).isEqualTo(2);
        assertThat(meters.get("camel.aws.sfn.activity.tasks.limit").gauge().value()).isEqualTo(50);
        assertThat(meters.get("camel.aws.sfn.activity.polls.open").gauge().value()).isEqualTo(2);
    }

    private Map<String, Long> beatsPerToken() {
        return sfn.answers("SendTaskHeartbeat").stream()
                .collect(Collectors.groupingBy(ActivityStandIn.Answer::token, Collectors.counting()));
    }

    private static String token(int i) {
        return "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Capacity+Task+" + i;
    }
}
