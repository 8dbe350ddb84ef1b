package io.github.sfnfail.camel.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.SfnTaskEndpoint;
import io.github.sfnfail.camel.TaskTokens;
import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import io.github.sfnfail.camel.observe.AnswerCounters;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;

/**
 * Keeps one task alive while its exchange runs: a heartbeat every period after the one before it was answered (never
 * two at once), on the endpoint's scheduler, holding no thread between them, until the exchange completes, the task's
 * success or failure report lands, the task is found closed, or the endpoint stops. One keeper per exchange and task.
 * Like Camel's SQS visibility extender, it lasts exactly as long as the work.
 * Used by aws-sfn-heartbeat's period and the activity consumer's heartbeatPeriod.
 */
public final class HeartbeatKeeper extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatKeeper.class);
    /** The exchange property holding the keepers that run for the exchange's tasks. */
    private static final String KEEPERS = "CamelAwsSfnHeartbeatKeepers";

    /** Told what the keeper does: the activity consumer counts it, and both forget a keeper that stopped. */
    public interface Observer {
        /** A heartbeat was sent. */
        default void beat() {
        }

        /** A heartbeat found the task closed. */
        default void closed() {
        }

        /** The keeper sends no more heartbeats. */
        void stopped(HeartbeatKeeper keeper);
    }

    private final SfnTaskEndpoint endpoint;
    private final Observer observer;
    private final Exchange exchange;
    private final SendTaskHeartbeatRequest request;
    private final long periodMillis;
    private final AnswerCounters counters;
    /** The digest of the task's token, the keeper's key on its exchange. */
    private final String key;
    private ScheduledFuture<?> next;
    private boolean stopped;

    public HeartbeatKeeper(SfnTaskEndpoint endpoint, Exchange exchange, SendTaskHeartbeatRequest request,
                           long periodMillis, Observer observer) {
        this.endpoint = endpoint;
        this.observer = observer;
        this.exchange = exchange;
        this.request = request;
        this.periodMillis = periodMillis;
        this.counters = endpoint.getCounters();
        this.key = TaskMarks.digest(request.taskToken());
    }

    /**
     * The next heartbeat in a period, and so on until the exchange completes, unless this exchange's task is kept alive
     * already (a loop around a heartbeat endpoint, the activity consumer's heartbeatPeriod and the route's own): one
     * keeper per exchange and task.
     *
     * @return whether this keeper started; false when another keeps the task alive
     */
    public boolean start() {
        Map<String, HeartbeatKeeper> kept = kept(exchange, true);
        synchronized (kept) {
            if (kept.putIfAbsent(key, this) != null) {
                return false;
            }
        }
        exchange.getExchangeExtension().addOnCompletion(this);
        scheduleNext();
        return true;
    }

    /**
     * Stops the keeper of this exchange's task, if any: a success or failure report for it landed or found it closed,
     * so no later heartbeat may find it closed and say so.
     */
    public static void stopFor(Exchange exchange, String token) {
        Map<String, HeartbeatKeeper> kept = kept(exchange, false);
        if (kept == null) {
            return;
        }
        HeartbeatKeeper keeper;
        synchronized (kept) {
            keeper = kept.get(TaskMarks.digest(token));
        }
        if (keeper != null) {
            keeper.stop();
        }
    }

    /** The keepers of an exchange by the digest of their task's token, in an exchange property only where one ran. */
    @SuppressWarnings("unchecked")
    private static Map<String, HeartbeatKeeper> kept(Exchange exchange, boolean create) {
        Map<String, HeartbeatKeeper> kept = exchange.getProperty(KEEPERS, Map.class);
        if (kept == null && create) {
            kept = new HashMap<>();
            exchange.setProperty(KEEPERS, kept);
        }
        return kept;
    }

    @Override
    public void onDone(Exchange exchange) {
        stop();
    }

    /** No heartbeat after this one. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        }
        Map<String, HeartbeatKeeper> kept = kept(exchange, false);
        if (kept != null) {
            synchronized (kept) {
                kept.remove(key, this);
            }
        }
        observer.stopped(this);
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
        observer.beat();
        try {
            endpoint.send(TaskCall.HEARTBEAT, request, false, null).whenComplete((result, error) -> answered(result, error));
        } catch (RuntimeException e) {
            answered(null, e);
        }
    }

    private void answered(Result<SendTaskHeartbeatResponse> result, Throwable error) {
        synchronized (this) {
            if (stopped) {
                // the task's answer landed while this heartbeat was on its way: whatever it found says nothing
                return;
            }
        }
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
            observer.closed();
            stop();
            return;
        }
        counters.countFailed(failure);
        // retried and paced already; the next heartbeat may well land, and the work is not failed over it
        LOG.warn("A heartbeat for task {} failed, the next goes in {} ms: {}", TaskTokens.mask(request.taskToken()),
                periodMillis, failure.getMessage());
        scheduleNext();
    }
}
