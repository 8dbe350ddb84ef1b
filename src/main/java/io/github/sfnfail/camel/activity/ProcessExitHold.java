package io.github.sfnfail.camel.activity;

import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.StopDeadline;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM from ending, when it shuts down (SIGTERM, System.exit), until the activity workers' long polls are back
 * and what they brought is answered, as long as their Camel context is stopping. The service keeps handing tasks to a
 * poll for up to 60 s, and a process that ends with a poll open loses the task being handed to it; yet hosts end the
 * process on a clock of their own (camel-main waits for its context at most the shutdown timeout plus 15 s). A JVM
 * shutdown hook, there while the context's workers are, holds the process until the context stop's deadline at most
 * ({@link StopDeadline}: the shutdown timeout or 60 s, whichever is longer, plus 30 s), and never once the context has
 * stopped: its stop waited already.
 */
final class ProcessExitHold {

    /** How long the hook waits for the context to begin stopping: one that does not stop has nothing to wait for. */
    static final long STOP_BEGINS_MILLIS = 3_000;

    /** How often the hook looks whether the work ended and the context still stops. */
    static final long QUIET_LOOK_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessExitHold.class);

    private final ActivityWorkers workers;
    private Thread hook;

    ProcessExitHold(ActivityWorkers workers) {
        this.workers = workers;
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

    synchronized void disarm() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran: it ends by the deadline
        }
        hook = null;
    }

    private void hold() {
        if (!workers.hasWorkUnderWay()) {
            // no poll open, no task in hand, no route polling: nothing for the process to wait for
            return;
        }
        CamelContext context = workers.context();
        long stopBegins = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_BEGINS_MILLIS);
        while (!context.isStopping() && !context.isStopped() && System.nanoTime() < stopBegins) {
            if (!sleep(50)) {
                return;
            }
        }
        if (!context.isStopping()) {
            // not stopping within the time, or stopped already: a stopped context's stop did all the waiting there is
            return;
        }
        StopDeadline deadline = StopDeadline.of(context);
        while (!workers.isQuiet()) {
            if (!context.isStopping()) {
                // the context's stop gave up on what is still under way, and said so: the process waits no longer
                return;
            }
            if (deadline.millisLeft() == 0) {
                LOG.warn("The process ends with polls or answers of activity {} still under way, at the stop's deadline "
                         + "({} s after the stop began)", workers.busyActivities(),
                        StopDeadline.boundSeconds(context.getShutdownStrategy()));
                return;
            }
            if (!sleep(QUIET_LOOK_MILLIS)) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
