package io.github.sfnfail.camel.activity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.observe.ActivityCounters;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

/**
 * One long poll at a time, holding no thread while it is open: poll, hand the task it brings to the consumer, and poll
 * again only once that task is answered, so that a poller never holds more than one task. After a failed poll it waits
 * out the consumer's backoff; after an empty answer that came back much sooner than a long poll would (an emulator, a
 * proxy), a second or so, so that it never spins.
 */
final class ActivityPoller {

    /** An empty answer sooner than this did not long-poll. */
    static final long QUICK_EMPTY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What a poller waits after such an answer, jittered down to half. */
    static final long QUICK_EMPTY_PAUSE_MILLIS = 1_000;

    private final SfnActivityConsumer consumer;
    private final SfnActivityEndpoint endpoint;
    private final ActivityCounters counters;
    private final PollBackoff backoff;
    private final GetActivityTaskRequest request;

    ActivityPoller(SfnActivityConsumer consumer, PollBackoff backoff) {
        this.consumer = consumer;
        this.endpoint = consumer.getEndpoint();
        this.counters = endpoint.getActivityCounters();
        this.backoff = backoff;
        // above the service's hold of 60 s, whatever the answers' time limits are
        this.request = GetActivityTaskRequest.builder().activityArn(endpoint.getActivityArn())
                .workerName(endpoint.workerName())
                .overrideConfiguration(override -> override.apiCallTimeout(SfnActivityConfiguration.POLL_TIMEOUT)
                        .apiCallAttemptTimeout(SfnActivityConfiguration.POLL_TIMEOUT))
                .build();
    }

    void poll() {
        if (!consumer.isPolling()) {
            return;
        }
        long started = System.nanoTime();
        counters.countPollOpened();
        CompletableFuture<GetActivityTaskResponse> answer;
        try {
            answer = endpoint.getUnpacedClient().send(TaskCall.GET_ACTIVITY_TASK, request);
        } catch (Throwable e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((task, error) -> answered(task, error, System.nanoTime() - started));
    }

    private void answered(GetActivityTaskResponse task, Throwable error, long elapsedNanos) {
        if (error != null) {
            counters.countPollFailed(PollBackoff.code(error));
            later(backoff.failed(error));
            return;
        }
        backoff.succeeded();
        if (task.taskToken() == null) {
            counters.countPollAnswered(true);
            if (elapsedNanos < QUICK_EMPTY_NANOS) {
                later(QUICK_EMPTY_PAUSE_MILLIS / 2
                      + ThreadLocalRandom.current().nextLong(QUICK_EMPTY_PAUSE_MILLIS / 2 + 1));
            } else {
                poll();
            }
            return;
        }
        counters.countPollAnswered(false);
        consumer.run(task, this::poll);
    }

    private void later(long millis) {
        ScheduledExecutorService scheduler = endpoint.getScheduler();
        if (scheduler == null || !consumer.isPolling()) {
            return;
        }
        try {
            scheduler.schedule(this::poll, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: no more polls
        }
    }
}
