package io.github.sfnfail.camel.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;

/**
 * Keeps one task alive while its exchange runs: a heartbeat every period after the one before it was answered (never
 * two at once), on the channel's scheduler, holding no thread between them, until the exchange completes, the task's
 * success or failure report is sent, the task is found closed, or the channel closes. One keeper per exchange and task.
 * Like Camel's SQS visibility extender, it lasts exactly as long as the work.
 * <p>
 * A closing answer (success or failure) first {@linkplain #pauseFor pauses} the keeper of its task and waits for a
 * heartbeat on its way, so that no heartbeat follows the answer on the wire; the keeper then stops when the answer
 * landed or found the task closed, and beats again when it failed and the work goes on.
 * Used by aws-sfn-heartbeat's period and the activity consumer's heartbeatPeriod.
 */
public final class HeartbeatKeeper extends SynchronizationAdapter {

    /** How long a closing answer waits at most for a heartbeat on its way (one held back by throttling, say). */
    static final long MAX_QUIET_WAIT_MILLIS = 5_000;

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

    private final AnswerChannel channel;
    private final Observer observer;
    private final Exchange exchange;
    private final SendTaskHeartbeatRequest request;
    private final long periodMillis;
    private final AnswerTally tally;
    /** The digest of the task's token, the keeper's key on its exchange. */
    private final String key;
    private ScheduledFuture<?> next;
    private boolean stopped;
    private boolean paused;
    private boolean beating;
    /** Completes when the heartbeat on its way comes back; null when none is awaited. */
    private CompletableFuture<Void> quiet;

    public HeartbeatKeeper(AnswerChannel channel, Exchange exchange, SendTaskHeartbeatRequest request,
                           long periodMillis, Observer observer) {
        this.channel = channel;
        this.observer = observer;
        this.exchange = exchange;
        this.request = request;
        this.periodMillis = periodMillis;
        this.tally = channel.tally();
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

    /** The keeper of this exchange's task, or null when none runs. */
    public static HeartbeatKeeper of(Exchange exchange, String token) {
        Map<String, HeartbeatKeeper> kept = kept(exchange, false);
        if (kept == null) {
            return null;
        }
        synchronized (kept) {
            return kept.get(TaskMarks.digest(token));
        }
    }

    /**
     * Before a closing answer for this exchange's task is sent: no heartbeat from now on until {@link #resume}, and the
     * future completes once a heartbeat on its way came back (at once when none is), so that the answer is the last
     * call about the task on the wire.
     */
    public static CompletableFuture<Void> pauseFor(Exchange exchange, String token) {
        HeartbeatKeeper keeper = of(exchange, token);
        return keeper == null ? CompletableFuture.completedFuture(null) : keeper.pause();
    }

    /** No heartbeat until {@link #resume}; completes once a heartbeat on its way came back. */
    public CompletableFuture<Void> pause() {
        CompletableFuture<Void> waitFor;
        synchronized (this) {
            paused = true;
            cancelNext();
            if (!beating) {
                return CompletableFuture.completedFuture(null);
            }
            if (quiet == null) {
                quiet = new CompletableFuture<>();
            }
            waitFor = quiet;
        }
        return waitFor.completeOnTimeout(null, MAX_QUIET_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Heartbeats again after a pause: the closing answer failed and the work goes on. */
    public void resume() {
        synchronized (this) {
            if (stopped || !paused) {
                return;
            }
            paused = false;
        }
        scheduleNext();
    }

    /** Stops the keeper of this exchange's task, if any: its success or failure report landed or found it closed. */
    public static void stopFor(Exchange exchange, String token) {
        HeartbeatKeeper keeper = of(exchange, token);
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
            cancelNext();
        }
        Map<String, HeartbeatKeeper> kept = kept(exchange, false);
        if (kept != null) {
            synchronized (kept) {
                kept.remove(key, this);
            }
        }
        observer.stopped(this);
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void scheduleNext() {
        boolean ended = false;
        synchronized (this) {
            if (stopped || paused) {
                return;
            }
            ScheduledExecutorService scheduler = channel.scheduler();
            try {
                if (scheduler == null) {
                    throw new RejectedExecutionException("the endpoint is stopped");
                }
                next = scheduler.schedule(this::beat, periodMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                ended = true;
            }
        }
        if (ended) {
            LOG.debug("Endpoint {} stopped: no more heartbeats for task {}", channel.name(),
                    TaskTokens.mask(request.taskToken()));
            stop();
        }
    }

    private void beat() {
        synchronized (this) {
            if (stopped || paused) {
                return;
            }
            beating = true;
        }
        tally.countSent();
        observer.beat();
        try {
            channel.send(TaskCall.HEARTBEAT, request, false, null).whenComplete(this::answered);
        } catch (RuntimeException e) {
            answered(null, e);
        }
    }

    private void answered(Result<SendTaskHeartbeatResponse> result, Throwable error) {
        CompletableFuture<Void> nowQuiet;
        boolean settled;
        synchronized (this) {
            beating = false;
            nowQuiet = quiet;
            quiet = null;
            // the task's answer is under way or landed while this heartbeat was on its way: whatever it found says
            // nothing about the work
            settled = stopped || paused;
        }
        if (nowQuiet != null) {
            nowQuiet.complete(null);
        }
        Throwable failure = error != null ? CallOutcomes.unwrap(error) : result.error();
        if (settled) {
            if (error != null) {
                tally.countFailed(failure);
            } else {
                tally.countResult(result);
            }
            return;
        }
        if (failure == null && result.closure() == Closure.NONE) {
            tally.countLanded(result.response().responseMetadata().requestId(), false);
            scheduleNext();
            return;
        }
        if (failure == null || CallOutcomes.isClosedTask(failure)) {
            tally.countClosed(false);
            LOG.info("Task {} is closed (its execution stopped or timed out, or the task was answered): heartbeats "
                     + "stopped, and the exchange property {} tells the route to give up",
                    TaskTokens.mask(request.taskToken()), TaskHeaders.TASK_CLOSED);
            // the route's hint, for the exchange; the consumer's own mark is about this task alone
            exchange.setProperty(TaskHeaders.TASK_CLOSED, Boolean.TRUE);
            TaskMarks.CLOSED.mark(exchange, request.taskToken());
            observer.closed();
            stop();
            return;
        }
        tally.countFailed(failure);
        // retried and paced already; the next heartbeat may well land, and the work is not failed over it
        LOG.warn("A heartbeat for task {} failed, the next goes in {} ms: {}", TaskTokens.mask(request.taskToken()),
                periodMillis, failure.getMessage());
        scheduleNext();
    }
}
