package io.github.sfnfail.camel.activity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

/**
 * One long poll at a time, holding no thread while it is open: poll, hand the task it brings to the consumer, and poll
 * again only once that task is answered, so that a poller never holds more than one task. After a failed poll it waits
 * out its own backoff; after an empty answer that came back much sooner than a long poll would (an emulator, a proxy),
 * a second or so, so that it never spins.
 * <p>
 * A poller outlives a stop of the route's consumer (see {@link ActivityPollers}): a poll still open when the route
 * stopped stays this poller's, and the task it brings goes to the route's consumer of the moment.
 */
final class ActivityPoller {

    /** An empty answer sooner than this did not long-poll. */
    static final long QUICK_EMPTY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What a poller waits after such an answer, jittered down to half. */
    static final long QUICK_EMPTY_PAUSE_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ActivityPoller.class);

    private enum State {
        /** Nothing open and nothing to do: the consumer is stopped. */
        IDLE,
        /** Waiting to poll again (backoff, or a pause after a quick empty answer). */
        WAITING,
        /** A poll is open. */
        POLLING,
        /** The task the last poll brought is in hand. */
        WORKING
    }

    private final ActivityPollers pollers;

    private final SfnActivityEndpoint endpoint;
    private final ActivityCounters counters;
    private final PollHealth health;
    private final PollBackoff backoff = new PollBackoff();
    private final GetActivityTaskRequest request;
    private State state = State.IDLE;

    ActivityPoller(ActivityPollers pollers, SfnActivityEndpoint endpoint, PollHealth health) {
        this.pollers = pollers;
        this.endpoint = endpoint;
        this.counters = endpoint.getActivityCounters();
        this.health = health;
        // above the service's hold of 60 s, whatever the answers' time limits are
        this.request = GetActivityTaskRequest.builder().activityArn(endpoint.getActivityArn())
                .workerName(endpoint.workerName())
                .overrideConfiguration(override -> override.apiCallTimeout(SfnActivityConfiguration.POLL_TIMEOUT)
                        .apiCallAttemptTimeout(SfnActivityConfiguration.POLL_TIMEOUT))
                .build();
    }

    /** Polls now, unless a poll is open or a task in hand already (left from before a restart, or polling anyway). */
    void poll() {
        synchronized (this) {
            if (state == State.POLLING || state == State.WORKING) {
                return;
            }
            if (!isPolling()) {
                state = State.IDLE;
                return;
            }
            state = State.POLLING;
        }
        long started = System.nanoTime();
        counters.countPollOpened();
        CompletableFuture<GetActivityTaskResponse> answer;
        try {
            answer = endpoint.pollCalls().send(TaskCall.GET_ACTIVITY_TASK, request);
        } catch (Throwable e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((task, error) -> answered(task, error, System.nanoTime() - started));
    }

    private void answered(GetActivityTaskResponse task, Throwable error, long elapsedNanos) {
        if (error != null) {
            counters.countPollFailed(PollHealth.code(error));
            if (!isPolling()) {
                // a poll left open by a stop, ended by the client closing: no WARN and no health state, nobody polls
                LOG.debug("A poll for tasks of activity {} ended after the stop: {}", endpoint.getActivityArn(),
                        error.getMessage());
                settle(State.IDLE);
                return;
            }
            health.failed(this, error);
            later(backoff.failed());
            return;
        }
        backoff.succeeded();
        health.succeeded(this);
        if (task.taskToken() == null) {
            counters.countPollAnswered(true);
            if (elapsedNanos < QUICK_EMPTY_NANOS) {
                later(QUICK_EMPTY_PAUSE_MILLIS / 2
                      + ThreadLocalRandom.current().nextLong(QUICK_EMPTY_PAUSE_MILLIS / 2 + 1));
            } else {
                settle(State.IDLE);
                poll();
            }
            return;
        }
        counters.countPollAnswered(false);
        settle(State.WORKING);
        pollers.consumer().run(task, () -> {
            settle(State.IDLE);
            poll();
        });
    }

    private boolean isPolling() {
        SfnActivityConsumer consumer = pollers.consumer();
        return consumer != null && consumer.isPolling();
    }

    private synchronized void settle(State next) {
        state = next;
    }

    private void later(long millis) {
        settle(State.WAITING);
        ScheduledExecutorService scheduler = endpoint.getScheduler();
        if (scheduler == null || !isPolling()) {
            settle(State.IDLE);
            return;
        }
        try {
            scheduler.schedule(this::poll, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: no more polls until it starts again
            settle(State.IDLE);
        }
    }
}
