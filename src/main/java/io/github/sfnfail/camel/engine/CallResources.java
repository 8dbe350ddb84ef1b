package io.github.sfnfail.camel.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * What one start of an endpoint calls Step Functions with (its client, paced and not, the outcome rules, the timer of
 * its timed work), kept as long as anything holds it: the endpoint until it stops, and each call, long poll or task in
 * hand until it is done. A long poll left open by a stop, the task it brings and that task's answer therefore still
 * find the client and the timer; only when the last hold goes are they closed, in the order they were given: on the
 * stopping thread when nothing held them then, else on a thread of their own (the last hold often goes on a thread of
 * the client itself, which must not wait for its own pool to end).
 */
public final class CallResources implements AnswerChannel {

    private static final Logger LOG = LoggerFactory.getLogger(CallResources.class);

    private final String name;
    private final TaskCalls unpaced;
    private final TaskCalls paced;
    private final AnswerSender sender;
    private final ScheduledExecutorService timer;
    private final AnswerTally tally;
    private final List<AutoCloseable> closers;
    /** The endpoint's own hold, plus one per call, poll and task under way; 0 once closed. */
    private final AtomicInteger holds = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile long retiredAt;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param closers what to close when the last hold goes, in this order (the pacer's lease, the timer, thread pools,
     *                the client the endpoint built...)
     */
    public CallResources(String name, TaskCalls unpaced, TaskCalls paced, AnswerSender sender,
                         ScheduledExecutorService timer, AnswerTally tally, List<AutoCloseable> closers) {
        this.name = name;
        this.unpaced = unpaced;
        this.paced = paced;
        this.sender = sender;
        this.timer = timer;
        this.tally = tally;
        this.closers = new ArrayList<>(closers);
    }

    /**
     * Takes a hold on the resources, for a call, a poll or a task that must be able to finish.
     *
     * @return false when they are closed already: nothing may be sent through them
     */
    public boolean hold() {
        while (true) {
            int current = holds.get();
            if (current == 0) {
                return false;
            }
            if (holds.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Lets go of a hold taken with {@link #hold()}; the last one closes the resources. */
    public void release() {
        if (holds.decrementAndGet() == 0) {
            Thread closer = new Thread(this::closeAll, "AwsSfnClose");
            closer.setDaemon(true);
            closer.start();
        }
    }

    /** The endpoint stopped: its own hold goes (once), and what still holds the resources keeps them until it is done. */
    public void retire() {
        if (!retired.compareAndSet(false, true)) {
            return;
        }
        retiredAt = System.nanoTime();
        if (holds.decrementAndGet() == 0) {
            closeAll();
        }
    }

    /** Whether the endpoint that made them has stopped. */
    public boolean isRetired() {
        return retired.get();
    }

    /** How long ago the endpoint stopped, in milliseconds; 0 while it runs. */
    public long retiredForMillis() {
        return retired.get() ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - retiredAt) : 0;
    }

    /** How many holds are taken besides the endpoint's own. */
    public int pendingHolds() {
        int current = holds.get();
        return retired.get() ? current : Math.max(0, current - 1);
    }

    /**
     * Waits until every hold is gone and the resources are closed, without giving up on an interrupt (the flag is set
     * again afterwards).
     *
     * @return whether they closed within the time
     */
    public boolean awaitClosed(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return closed.isDone();
                }
                try {
                    closed.get(left, TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    return false;
                } catch (Exception e) {
                    return true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes once the resources are closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** The client for calls that must not wait behind paced answers: long polls, a health check's probe. */
    public TaskCalls unpaced() {
        return unpaced;
    }

    /** The client answers go through, paced when Step Functions throttles. */
    public TaskCalls paced() {
        return paced;
    }

    @Override
    public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<AnswerSender.Result<S>> send(
            TaskCall<R, S> call, R request, boolean earlierDeliveryUnknown, UnaryOperator<R> kmsFallback) {
        if (!hold()) {
            throw new IllegalStateException("Endpoint " + name + " is stopped");
        }
        CompletableFuture<AnswerSender.Result<S>> sent;
        try {
            sent = sender.send(paced, call, request, earlierDeliveryUnknown, kmsFallback);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        sent.whenComplete((result, error) -> release());
        return sent;
    }

    /** The timer, as long as the resources are open (also after the endpoint stopped, while something holds them). */
    @Override
    public ScheduledExecutorService scheduler() {
        return closed.isDone() ? null : timer;
    }

    @Override
    public AnswerTally tally() {
        return tally;
    }

    @Override
    public String name() {
        return name;
    }

    private void closeAll() {
        for (AutoCloseable closer : closers) {
            try {
                closer.close();
            } catch (Exception e) {
                LOG.debug("Closing the resources of endpoint {}: {}", name, e.getMessage(), e);
            }
        }
        LOG.debug("Closed the client and threads of endpoint {}", name);
        closed.complete(null);
    }
}
