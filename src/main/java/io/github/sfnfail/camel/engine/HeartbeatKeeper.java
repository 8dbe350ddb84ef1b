package io.github.sfnfail.camel.engine;

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
 * Keeps one task alive: a heartbeat every period after the one before it was answered (never two at once), on the
 * channel's scheduler, holding no thread between them, until it is stopped, the task's answer stops it through the
 * {@link TaskWatch}, a heartbeat finds the task closed, or the channel closes. One keeper per task in the application
 * (the watch refuses a second). A keeper of a route's ({@code aws-sfn-heartbeat} with a period) lasts as long as its
 * exchange ({@link #untilDone}), like Camel's SQS visibility extender; the activity consumer's lasts until its task's
 * answer lands, retries of the answer included.
 * <p>
 * A closing answer first {@linkplain #pause pauses} the keeper and waits for a heartbeat on its way, so that no
 * heartbeat follows the answer on the wire; the keeper beats again ({@link #resume}) when the answer failed and the
 * work or the answer's retries go on.
 */
public final class HeartbeatKeeper extends SynchronizationAdapter {

    /** How long a closing answer waits at most for a heartbeat on its way (one held back by throttling, say). */
    static final long MAX_QUIET_WAIT_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatKeeper.class);

    /** Told what the keeper does: the activity consumer counts its heartbeats, an endpoint forgets a keeper done. */
    public interface Observer {
        /** A heartbeat was sent. */
        default void beat() {
        }

        /** The keeper sends no more heartbeats (one may still be on its way). */
        default void stopped(HeartbeatKeeper keeper) {
        }
    }

    private final AnswerChannel channel;
    private final TaskWatch watch;
    private final Observer observer;
    private final SendTaskHeartbeatRequest request;
    private final long periodMillis;
    private final AnswerTally tally;
    /** The exchange told by its property CamelAwsSfnTaskClosed that the task closed; null for none. */
    private volatile Exchange told;
    private ScheduledFuture<?> next;
    private boolean stopped;
    private boolean paused;
    private boolean beating;
    private boolean dropped;
    /** Completes when the heartbeat on its way comes back; null when none is awaited. */
    private CompletableFuture<Void> quiet;

    public HeartbeatKeeper(AnswerChannel channel, TaskWatch watch, SendTaskHeartbeatRequest request, long periodMillis,
                           Observer observer) {
        this.channel = channel;
        this.watch = watch;
        this.observer = observer;
        this.request = request;
        this.periodMillis = periodMillis;
        this.tally = channel.tally();
    }

    /** The token of the task kept alive. */
    String token() {
        return request.taskToken();
    }

    /** When the task closes, this exchange's property CamelAwsSfnTaskClosed tells its route to give up. */
    public HeartbeatKeeper telling(Exchange exchange) {
        this.told = exchange;
        return this;
    }

    /** The keeper stops when this exchange completes. */
    public void untilDone(Exchange exchange) {
        exchange.getExchangeExtension().addOnCompletion(this);
    }

    /**
     * The next heartbeat in a period, and so on, unless the task is kept alive already.
     *
     * @return whether this keeper started; false when another keeps the task alive
     */
    public boolean start() {
        if (!watch.keep(this)) {
            return false;
        }
        scheduleNext();
        return true;
    }

    /** Whether it keeps its task alive (started and not stopped). */
    synchronized boolean isKeeping() {
        return !stopped;
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

    /** Heartbeats again after a pause: the closing answer failed and the work, or its retries, go on. */
    public void resume() {
        synchronized (this) {
            if (stopped || !paused) {
                return;
            }
            paused = false;
        }
        scheduleNext();
    }

    @Override
    public void onDone(Exchange exchange) {
        stop();
    }

    /** No heartbeat after this one; the watch forgets the keeper once a heartbeat on its way is back. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            cancelNext();
        }
        observer.stopped(this);
        if (!isBeatOnItsWay()) {
            drop();
        }
    }

    private synchronized boolean isBeatOnItsWay() {
        return beating;
    }

    private void drop() {
        synchronized (this) {
            if (dropped) {
                return;
            }
            dropped = true;
        }
        watch.dropped(this);
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
            if (isStopped()) {
                drop();
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
            Exchange exchange = told;
            if (exchange != null) {
                exchange.setProperty(TaskHeaders.TASK_CLOSED, Boolean.TRUE);
            }
            stop();
            watch.closed(request.taskToken());
            return;
        }
        tally.countFailed(failure);
        // retried and paced already; the next heartbeat may well land, and the work is not failed over it
        LOG.warn("A heartbeat for task {} failed, the next goes in {} ms: {}", TaskTokens.mask(request.taskToken()),
                periodMillis, CallOutcomes.describe(failure));
        scheduleNext();
    }

    private synchronized boolean isStopped() {
        return stopped;
    }
}
