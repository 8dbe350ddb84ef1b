package io.github.sfnfail.camel.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.sfnfail.camel.observe.AnswerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * Paces the calls of one endpoint (its failure reports, success reports or heartbeats) when Step Functions throttles
 * them, so that a burst larger than the account's quota for that API (a token bucket shared by every worker of the
 * account and region) lands in full, at the rate the service admits, instead of failing once the SDK's retries run out.
 * <p>
 * Reports wait here, not in the SDK: at most {@value #MAX_IN_FLIGHT} are in flight (the SDK's default connection pool),
 * so none fails on the HTTP client's connection-acquire limits, and waiting holds no thread (a scheduled task releases
 * them). Until the first throttled answer reports go out at once. A throttled report goes back to the head of the queue
 * and is sent again while its time budget lasts: after a short backoff of its own (50 ms, doubling up to 1 s,
 * jittered) until there is evidence of a quota, a tenth of the last second's calls (at least 20) throttled. From then
 * on the pacer sends at a set rate: while a fifth of the calls are throttled, just under what the service admitted (with its
 * bucket empty, that is the refill rate, this worker's share of it in a fleet); otherwise more every second, by 5 %,
 * then 10 %, 20 %... until throttled again, to find room freed by others. Throttling at random, unrelated to the rate,
 * therefore neither starts pacing nor drives the rate down. After {@value #CALM_SECONDS} s without throttling it stops
 * pacing.
 */
public final class ThrottlePacer {

    public static final int MAX_IN_FLIGHT = 50;
    static final long CALM_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ThrottlePacer.class);

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** How often the rate may be lowered again: long enough to measure what the service admits, short enough to adapt. */
    private static final long ADJUST_INTERVAL = TimeUnit.MILLISECONDS.toNanos(250);
    private static final double BELOW_ADMITTED = 0.95;
    /** The first step up after a cut; each further second without throttling doubles it, up to doubling the rate. */
    private static final double FIRST_PROBE_STEP = 0.05;
    private static final double MAX_PROBE_STEP = 1.0;
    /**
     * Above this share of throttled calls the rate is above what the service admits; below it, it may be raised. High
     * enough that throttling at random, unrelated to the rate (a noisy account), does not pass for a quota.
     */
    private static final double THROTTLED_SHARE = 0.20;
    /** The share of throttled calls that starts pacing: lower, since a paced rate is only cut above the one before. */
    private static final double PACING_SHARE = 0.10;
    /** The fewest calls a window must hold before its share of throttled calls is taken as evidence. */
    private static final int MIN_EVIDENCE = 20;
    /** The backoff of a report throttled while not paced: doubling from this, up to the next, with jitter. */
    private static final long FIRST_BACKOFF = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(1);
    private static final double MIN_RATE = 1;

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final long budgetNanos;
    private final LongSupplier clock;
    private final CallCounts admitted = new CallCounts();
    private final CallCounts throttled = new CallCounts();
    private final AnswerCounters counters;
    private final String noun;

    private final Deque<Pending> queue = new ArrayDeque<>();
    /** Reports throttled while not paced, waiting out their backoff. */
    private final Set<Pending> backingOff = new HashSet<>();
    private int inFlight;
    private boolean paced;
    private double rate;
    private double probeStep = FIRST_PROBE_STEP;
    private long nextSlot;
    private long busySince;
    private long pacedSince;
    private long lastThrottle;
    private long lastChange;
    private boolean drainScheduled;
    private boolean draining;
    private boolean stopped;
    private boolean drainAgain;

    /**
     * @param budgetMillis how long a throttled report is sent again before its exchange fails with the throttling error
     */
    public ThrottlePacer(String name, String noun, ScheduledExecutorService scheduler, long budgetMillis,
                         LongSupplier clock, AnswerCounters counters) {
        this.name = name;
        this.noun = noun;
        this.counters = counters;
        this.scheduler = scheduler;
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        this.clock = clock;
    }

    /** The client, with its calls paced. */
    public TaskCalls around(TaskCalls client) {
        return new TaskCalls() {
            @Override
            public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request) {
                return pace(() -> client.send(call, request));
            }

            @Override
            public boolean watchesAttempts() {
                return client.watchesAttempts();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /**
     * Fails the reports still waiting for their turn, and from now on those that come back throttled or arrive: they
     * would otherwise never complete.
     */
    public void stop() {
        List<Pending> abandoned;
        synchronized (this) {
            stopped = true;
            abandoned = new ArrayList<>(queue);
            abandoned.addAll(backingOff);
            queue.clear();
            backingOff.clear();
        }
        for (Pending pending : abandoned) {
            pending.result.completeExceptionally(stoppedError());
        }
    }

    private IllegalStateException stoppedError() {
        return new IllegalStateException("Endpoint " + name + " stopped before this " + noun + " could be sent: it "
                                         + "was waiting for its turn under Step Functions throttling");
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> pace(Supplier<CompletableFuture<T>> call) {
        long now = clock.getAsLong();
        Pending pending = new Pending((Supplier<CompletableFuture<?>>) (Supplier<?>) call, now + budgetNanos);
        synchronized (this) {
            if (stopped) {
                pending.result.completeExceptionally(stoppedError());
                return (CompletableFuture<T>) pending.result;
            }
            if (queue.isEmpty() && inFlight == 0) {
                busySince = now;
            }
            queue.addLast(pending);
        }
        drain();
        return (CompletableFuture<T>) pending.result;
    }

    /**
     * Sends what may go now. One thread drains at a time; a call while another drains (an answer that arrives at once)
     * only asks it for one more pass, so the stack never grows with the queue. Sending never blocks: every call returns
     * its future at once (a synchronous client's calls run on an executor of their own, see {@link TaskFailureClient}),
     * and {@link #send} turns anything it throws into a failed report, so {@code draining} is always cleared.
     */
    private void drain() {
        synchronized (this) {
            if (draining) {
                drainAgain = true;
                return;
            }
            draining = true;
        }
        while (true) {
            List<Pending> toSend = new ArrayList<>();
            synchronized (this) {
                drainAgain = false;
                drainScheduled = false;
                long now = clock.getAsLong();
                while (!queue.isEmpty() && inFlight < MAX_IN_FLIGHT) {
                    if (paced) {
                        if (now < nextSlot) {
                            scheduleDrain(nextSlot - now);
                            break;
                        }
                        nextSlot = Math.max(nextSlot, now) + (long) (SECOND / rate);
                    }
                    inFlight++;
                    toSend.add(queue.pollFirst());
                }
            }
            for (Pending pending : toSend) {
                send(pending);
            }
            synchronized (this) {
                if (!drainAgain) {
                    draining = false;
                    return;
                }
            }
        }
    }

    private void scheduleDrain(long delayNanos) {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        try {
            scheduler.schedule(this::drain, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: stop() fails what waits
            drainScheduled = false;
        }
    }

    /**
     * Any Throwable from the call (an Error too: a NoClassDefFoundError of a mixed SDK, a StackOverflowError) fails this
     * report alone; the pacer goes on with the next.
     */
    private void send(Pending pending) {
        CompletableFuture<?> answer;
        try {
            answer = pending.call.get();
        } catch (Throwable e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> answered(pending, response, error));
    }

    private void answered(Pending pending, Object response, Throwable error) {
        boolean again = false;
        synchronized (this) {
            inFlight--;
            long now = clock.getAsLong();
            if (error != null && CallOutcomes.isThrottling(error)) {
                counters.countThrottledCall();
                throttled.add(now);
                throttled(now);
                if (now < pending.deadline && !stopped) {
                    again = true;
                    if (paced) {
                        // the pace decides when it goes again
                        queue.addFirst(pending);
                    } else {
                        sendAgainLater(pending);
                    }
                }
            } else {
                admitted.add(now);
                adjust(now);
            }
        }
        if (!again) {
            if (error != null) {
                pending.result.completeExceptionally(error);
            } else {
                pending.result.complete(response);
            }
        }
        drain();
    }

    /** A report throttled while not paced goes again after a jittered backoff of its own, never in a tight loop. */
    private void sendAgainLater(Pending pending) {
        pending.throttles++;
        long backoff = Math.min(MAX_BACKOFF, FIRST_BACKOFF << Math.min(pending.throttles - 1, 16));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        backingOff.add(pending);
        try {
            scheduler.schedule(() -> {
                synchronized (this) {
                    if (!backingOff.remove(pending)) {
                        return; // stop() failed it
                    }
                    queue.addFirst(pending);
                }
                drain();
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: stop() fails what backs off
        }
    }

    private void throttled(long now) {
        lastThrottle = now;
        if (!paced) {
            // pace only on evidence: a clear share of the last second's calls throttled
            int admittedRecently = admitted.since(now - SECOND);
            int throttledRecently = throttled.since(now - SECOND);
            if (admittedRecently + throttledRecently < MIN_EVIDENCE
                || throttledRecently <= (admittedRecently + throttledRecently) * PACING_SHARE) {
                return;
            }
            paced = true;
            pacedSince = now;
            lastChange = now;
            // what was admitted since the burst began, however short that was
            long busy = Math.max(SECOND / 10, Math.min(SECOND, now - busySince));
            rate = Math.max(MIN_RATE, admitted.since(now - busy) * (double) SECOND / busy * BELOW_ADMITTED);
            nextSlot = now;
            LOG.info("Step Functions throttles the {}s of {}: pacing them, from {}/s, at the rate it admits",
                    noun, name, Math.round(rate));
            return;
        }
        adjust(now);
    }

    /**
     * While paced, at most every {@link #ADJUST_INTERVAL}: with a clear share of calls throttled, the bucket is empty and
     * what it admitted is its refill rate (this worker's share of it), so send just under that; else probe upward.
     */
    private void adjust(long now) {
        if (!paced || now - lastChange < ADJUST_INTERVAL) {
            return;
        }
        if (now - lastThrottle >= TimeUnit.SECONDS.toNanos(CALM_SECONDS) && queue.isEmpty()) {
            paced = false;
            LOG.info("Step Functions no longer throttles the {}s of {}: pacing stopped", noun, name);
            return;
        }
        long window = Math.min(SECOND, now - pacedSince);
        int admittedInWindow = admitted.since(now - window);
        int throttledInWindow = throttled.since(now - window);
        // a cut needs evidence; a step up does not, or a rate paced below the evidence could never rise again
        boolean evidence = admittedInWindow + throttledInWindow >= MIN_EVIDENCE;
        if (evidence && throttledInWindow > (admittedInWindow + throttledInWindow) * THROTTLED_SHARE) {
            rate = Math.max(MIN_RATE,
                    admittedInWindow * (double) SECOND / Math.max(window, ADJUST_INTERVAL) * BELOW_ADMITTED);
            probeStep = FIRST_PROBE_STEP;
            lastChange = now;
            LOG.debug("The {}s of {} paced at {}/s", noun, name, Math.round(rate));
        } else if (now - lastChange >= SECOND) {
            // room freed by others (a worker of the fleet done) is found within seconds, not minutes
            rate *= 1 + probeStep;
            probeStep = Math.min(MAX_PROBE_STEP, probeStep * 2);
            lastChange = now;
        }
    }

    /** A report waiting for its turn, or being sent. */
    private static final class Pending {
        final Supplier<CompletableFuture<?>> call;
        final long deadline;
        /** Times throttled while not paced: its backoff. */
        int throttles;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Pending(Supplier<CompletableFuture<?>> call, long deadline) {
            this.call = call;
            this.deadline = deadline;
        }
    }

    /** Calls per tenth of a second over the last second: enough to tell the rate the service admits. */
    private static final class CallCounts {
        private static final int SLICES = 10;
        private static final long SLICE = SECOND / SLICES;
        private final long[] sliceStart = new long[SLICES];
        private final int[] counts = new int[SLICES];

        void add(long now) {
            long slice = Math.floorDiv(now, SLICE);
            int index = (int) Math.floorMod(slice, SLICES);
            long start = slice * SLICE;
            if (sliceStart[index] != start) {
                sliceStart[index] = start;
                counts[index] = 0;
            }
            counts[index]++;
        }

        int since(long from) {
            int total = 0;
            for (int i = 0; i < SLICES; i++) {
                if (sliceStart[i] + SLICE > from) {
                    total += counts[i];
                }
            }
            return total;
        }
    }
}
