package io.github.sfnfail.camel.heartbeat;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.TaskTokens;
import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import io.github.sfnfail.camel.engine.CallOutcomes;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.observe.AnswerCounters;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;

/**
 * Keeps one task alive while its exchange runs: a heartbeat every period after the one before it was answered (never
 * two at once), on the endpoint's scheduler, holding no thread between them, until the exchange completes, the task is
 * found closed, or the endpoint stops. Like Camel's SQS visibility extender, it lasts exactly as long as the work.
 */
final class HeartbeatKeeper extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatKeeper.class);

    private final SfnHeartbeatEndpoint endpoint;
    private final Exchange exchange;
    private final SendTaskHeartbeatRequest request;
    private final long periodMillis;
    private final AnswerCounters counters;
    private ScheduledFuture<?> next;
    private boolean stopped;

    HeartbeatKeeper(SfnHeartbeatEndpoint endpoint, Exchange exchange, SendTaskHeartbeatRequest request,
                    long periodMillis) {
        this.endpoint = endpoint;
        this.exchange = exchange;
        this.request = request;
        this.periodMillis = periodMillis;
        this.counters = endpoint.getCounters();
    }

    /** From the first heartbeat's answer on: the next one in a period, until the exchange completes. */
    void start() {
        exchange.getExchangeExtension().addOnCompletion(this);
        scheduleNext();
    }

    @Override
    public void onDone(Exchange exchange) {
        stop();
    }

    /** No heartbeat after this one. */
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        endpoint.forget(this);
    }

    private synchronized void scheduleNext() {
        if (stopped) {
            return;
        }
        ScheduledExecutorService scheduler = endpoint.getScheduler();
        try {
            if (scheduler == null) {
                throw new RejectedExecutionException("the endpoint is stopped");
            }
            next = scheduler.schedule(this::beat, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Endpoint {} stopped: no more heartbeats for task {}", endpoint.getEndpointBaseUri(),
                    TaskTokens.mask(request.taskToken()));
            stop();
        }
    }

    private void beat() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        counters.countSent();
        try {
            endpoint.send(TaskCall.HEARTBEAT, request, false, null).whenComplete((result, error) -> answered(result, error));
        } catch (RuntimeException e) {
            answered(null, e);
        }
    }

    private void answered(Result<SendTaskHeartbeatResponse> result, Throwable error) {
        Throwable failure = error != null ? CallOutcomes.unwrap(error) : result.error();
        if (failure == null && result.closure() == Closure.NONE) {
            counters.countLanded(result.response().responseMetadata().requestId(), false);
            scheduleNext();
            return;
        }
        if (failure == null || CallOutcomes.isClosedTask(failure)) {
            counters.countClosed(false);
            LOG.info("Task {} is closed (its execution stopped or timed out, or the task was answered): heartbeats "
                     + "stopped, and the exchange property {} tells the route to give up",
                    TaskTokens.mask(request.taskToken()), SfnConstants.TASK_CLOSED);
            exchange.setProperty(SfnConstants.TASK_CLOSED, Boolean.TRUE);
            stop();
            return;
        }
        String code = CallOutcomes.errorCode(failure);
        counters.countFailed(code != null ? code : failure.getClass().getSimpleName());
        // retried and paced already; the next heartbeat may well land, and the work is not failed over it
        LOG.warn("A heartbeat for task {} failed, the next goes in {} ms: {}", TaskTokens.mask(request.taskToken()),
                periodMillis, failure.getMessage());
        scheduleNext();
    }
}
