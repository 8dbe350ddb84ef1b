package io.github.sfnfail.camel.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * Paces the calls of one quota (one API, such as SendTaskFailure, for one account and region, or through one client)
 * when Step Functions throttles them, so that a burst larger than the quota (a token bucket shared by every worker of
 * the account and region) lands in full, at the rate the service admits, instead of failing once the SDK's retries run
 * out. Every endpoint of the application whose calls draw on the quota is a {@link Member} of its one pacer (see
 * {@link QuotaPacers}): two endpoints bursting into one bucket are paced as one, not as two workers competing.
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

    private final String quota;
    private final String noun;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final CallCounts admitted = new CallCounts();
    private final CallCounts throttled = new CallCounts();
    private final Set<Member> members = new LinkedHashSet<>();

    private final Deque<Pending> queue = new ArrayDeque<>();
    /** Calls throttled while not paced, waiting out their backoff. */
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
    private boolean drainAgain;

    /**
     * @param quota what the calls draw on, for the log lines ("SendTaskFailure in us-east-1")
     * @param noun  what each call is ("failure report")
     */
    public ThrottlePacer(String quota, String noun, ScheduledExecutorService scheduler, LongSupplier clock) {
        this.quota = quota;
        this.noun = noun;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * An endpoint whose calls draw on this quota.
     *
     * @param endpoint     the endpoint, for messages
     * @param budgetMillis how long a throttled call of the endpoint is sent again before its exchange fails with the
     *                     throttling error (its throttlingTimeout)
     * @param counters     the endpoint's counters, which count its throttled calls
     */
    public synchronized Member join(String endpoint, long budgetMillis, AnswerTally counters) {
        Member member = new Member(endpoint, TimeUnit.MILLISECONDS.toNanos(budgetMillis), counters);
        members.add(member);
        return member;
    }

    /** Whether no endpoint draws on this quota any more. */
    synchronized boolean isIdle() {
        return members.isEmpty();
    }

    /** Fails whatever still waits, of every member: the application is stopping. */
    void stop() {
        List<Member> all;
        synchronized (this) {
            all = new ArrayList<>(members);
        }
        all.forEach(Member::leave);
    }

    private IllegalStateException stoppedError(Member member) {
        return new IllegalStateException("Endpoint " + member.endpoint + " stopped before this " + noun + " could be "
                                         + "sent: it was waiting for its turn under Step Functions throttling");
    }

    /**
     * The fast path: while nothing is throttled and nothing waits, a call goes out at once on the caller's thread, with
     * no queue and no scheduler hop. Only what finds the pace set or others waiting queues for its turn.
     */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> pace(Member member, Supplier<CompletableFuture<T>> call) {
        long now = clock.getAsLong();
        Pending pending = new Pending(member, (Supplier<CompletableFuture<?>>) (Supplier<?>) call,
                now + member.budgetNanos);
        boolean sendNow;
        synchronized (this) {
            if (member.left) {
                pending.result.completeExceptionally(stoppedError(member));
                return (CompletableFuture<T>) pending.result;
            }
            if (queue.isEmpty() && inFlight == 0) {
                busySince = now;
            }
            sendNow = !paced && !draining && queue.isEmpty() && inFlight < MAX_IN_FLIGHT;
            if (sendNow) {
                inFlight++;
            } else {
                queue.addLast(pending);
            }
        }
        if (sendNow) {
            send(pending);
        } else {
            drain();
        }
        return (CompletableFuture<T>) pending.result;
    }

    /**
     * Sends what may go now. One thread drains at a time; a call while another drains (an answer that arrives at once)
     * only asks it for one more pass, so the stack never grows with the queue. Sending never blocks: every call returns
     * its future at once (a synchronous client's calls run on an executor of their own, see {@link TaskCalls}), and
     * {@link #send} turns anything it throws into a failed report, so {@code draining} is always cleared.
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
            // the application is stopping: stop() fails what waits
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
        boolean waiting;
        synchronized (this) {
            inFlight--;
            long now = clock.getAsLong();
            if (error != null && CallOutcomes.isThrottling(error)) {
                pending.member.counters.countThrottledCall();
                throttled.add(now);
                throttled(now);
                if (now < pending.deadline && !pending.member.left) {
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
            waiting = !queue.isEmpty();
        }
        if (!again) {
            if (error != null) {
                pending.result.completeExceptionally(error);
            } else {
                pending.result.complete(response);
            }
        }
        if (waiting) {
            drain();
        }
    }

    /** A call throttled while not paced goes again after a jittered backoff of its own, never in a tight loop. */
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
            // the application is stopping: stop() fails what backs off
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
            LOG.info("Step Functions throttles {} (the {}s of {}): pacing them, from {}/s, at the rate it admits",
                    quota, noun, memberNames(), Math.round(rate));
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
            LOG.info("Step Functions no longer throttles {} (the {}s of {}): pacing stopped", quota, noun,
                    memberNames());
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
            LOG.debug("The {}s of {} paced at {}/s", noun, quota, Math.round(rate));
        } else if (now - lastChange >= SECOND) {
            // room freed by others (a worker of the fleet done) is found within seconds, not minutes
            rate *= 1 + probeStep;
            probeStep = Math.min(MAX_PROBE_STEP, probeStep * 2);
            lastChange = now;
        }
    }

    private String memberNames() {
        return members.stream().map(member -> member.endpoint).collect(Collectors.joining(", "));
    }

    /** An endpoint whose calls draw on the quota: it paces them here until it leaves. */
    public final class Member {
        private final String endpoint;
        private final long budgetNanos;
        private final AnswerTally counters;
        /** Guarded by the pacer. */
        private boolean left;

        private Member(String endpoint, long budgetNanos, AnswerTally counters) {
            this.endpoint = endpoint;
            this.budgetNanos = budgetNanos;
            this.counters = counters;
        }

        /** Sends the call when the pace lets it go; a throttled answer sends it again while its budget lasts. */
        public <T> CompletableFuture<T> pace(Supplier<CompletableFuture<T>> call) {
            return ThrottlePacer.this.pace(this, call);
        }

        /**
         * Fails this endpoint's calls still waiting for their turn, and from now on those that come back throttled or
         * arrive: they would otherwise never complete. The other members go on.
         */
        public void leave() {
            List<Pending> abandoned = new ArrayList<>();
            synchronized (ThrottlePacer.this) {
                left = true;
                members.remove(this);
                queue.removeIf(pending -> pending.member == this && abandoned.add(pending));
                backingOff.removeIf(pending -> pending.member == this && abandoned.add(pending));
            }
            for (Pending pending : abandoned) {
                pending.result.completeExceptionally(stoppedError(this));
            }
        }
    }

    /** A call waiting for its turn, or being sent. */
    private static final class Pending {
        final Member member;
        final Supplier<CompletableFuture<?>> call;
        final long deadline;
        /** Times throttled while not paced: its backoff. */
        int throttles;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Pending(Member member, Supplier<CompletableFuture<?>> call, long deadline) {
            this.member = member;
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
