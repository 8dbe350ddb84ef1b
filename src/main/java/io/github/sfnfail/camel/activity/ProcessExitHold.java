package io.github.sfnfail.camel.activity;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.sfnfail.camel.SfnTaskEndpoint;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM from ending, when it shuts down (SIGTERM, System.exit), until the endpoint's long polls are back and
 * what they brought is answered, as long as its Camel context is stopping. The service keeps handing tasks to a poll for
 * up to 60 s, and a process that ends with a poll open loses the task being handed to it; yet hosts end the process on
 * a clock of their own (camel-main waits for its context at most the shutdown timeout plus 15 s). A JVM shutdown hook
 * of the endpoint's, there from its start to its stop, holds the process for as long as the context's stop waits for
 * the polls, at most {@link SfnTaskEndpoint#STOP_WAIT_SECONDS} s past the shutdown timeout, and never once the context
 * has stopped: its stop waited already.
 */
final class ProcessExitHold {

    /** How long the hook waits for the context to begin stopping: one that does not stop has nothing to wait for. */
    static final long STOP_BEGINS_MILLIS = 3_000;

    /** How often the hook looks whether the context still stops, while it waits for the work to end. */
    static final long QUIET_LOOK_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessExitHold.class);

    private final SfnActivityEndpoint endpoint;
    private Thread hook;

    ProcessExitHold(SfnActivityEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    synchronized void arm() {
        if (hook != null) {
            return;
        }
        hook = new Thread(this::hold, "AwsSfnActivityExitHold");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            hook = null;
        }
    }

    /** Disarms unless the endpoint is wanted again: checked under the lock that {@link #arm()} takes. */
    synchronized void disarmUnless(BooleanSupplier startedAgain) {
        if (!startedAgain.getAsBoolean()) {
            disarm();
        }
    }

    synchronized void disarm() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran: it ends once the resources are closed
        }
        hook = null;
    }

    private void hold() {
        if (!endpoint.hasWorkUnderWay()) {
            // no poll open, no task in hand, no poller at work: nothing for the process to wait for
            return;
        }
        CamelContext context = endpoint.getCamelContext();
        long stopBegins = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_BEGINS_MILLIS);
        while (!context.isStopping() && !context.isStopped() && System.nanoTime() < stopBegins) {
            if (!sleep()) {
                return;
            }
        }
        if (!context.isStopping()) {
            // not stopping within the time, or stopped already: a stopped context's stop did all the waiting there is
            return;
        }
        long seconds = context.getShutdownStrategy().getTimeUnit().toSeconds(context.getShutdownStrategy().getTimeout())
                       + SfnTaskEndpoint.STOP_WAIT_SECONDS;
        long waitEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!endpoint.awaitQuiet(QUIET_LOOK_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!context.isStopping()) {
                // the context's stop gave up on what is still under way, and said so: the process waits no longer
                return;
            }
            if (System.nanoTime() > waitEnds) {
                LOG.warn("The process ends with polls or answers of activity {} still under way after {} s",
                        endpoint.getActivityArn(), seconds);
                return;
            }
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
