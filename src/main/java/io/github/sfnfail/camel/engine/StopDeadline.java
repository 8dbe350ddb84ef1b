package io.github.sfnfail.camel.engine;

import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The one bound of how long a stopping Camel context may be held by what the component still has under way (long polls
 * Step Functions may still hand a task to, the answers of the tasks they bring, the failures of tasks a stop gave up):
 * {@value #POLL_HOLD_SECONDS} s or the shutdown timeout, whichever is longer, plus {@value #ANSWER_SECONDS} s for those
 * answers, counted from the moment the context began to stop. Every wait of a stop (each endpoint's, the component's,
 * the process's exit hold, the answers still being sent again) ends by the same deadline, so several endpoints never
 * add their waits up.
 */
public final class StopDeadline extends ServiceSupport {

    /** The longest Step Functions holds a long poll before it answers it empty. */
    public static final long POLL_HOLD_SECONDS = 60;
    /** What answers still being sent get past the polls' hold or the shutdown timeout. */
    public static final long ANSWER_SECONDS = 30;

    private final CamelContext context;
    private final EventNotifierSupport stopping = new EventNotifierSupport() {
        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                began();
            } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
                reset();
            }
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppingEvent
                   || event instanceof CamelEvent.CamelContextStartedEvent;
        }

        @Override
        protected void doInit() {
            setIgnoreExchangeEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
        }
    };
    /** System.nanoTime() when the context began to stop; 0 while it does not stop. */
    private volatile long stopBegan;

    private StopDeadline(CamelContext context) {
        this.context = context;
    }

    /** The deadline of the context's stops, watching the context from now on. */
    public static StopDeadline of(CamelContext context) {
        return ContextServices.of(context, StopDeadline.class, StopDeadline::new, "the Step Functions stop deadline");
    }

    /** The bound, in seconds, for a context with this shutdown strategy. */
    public static long boundSeconds(ShutdownStrategy strategy) {
        long timeout = strategy.getTimeUnit().toSeconds(strategy.getTimeout());
        return Math.max(timeout, POLL_HOLD_SECONDS) + ANSWER_SECONDS;
    }

    @Override
    protected void doStart() throws Exception {
        context.getManagementStrategy().addEventNotifier(stopping);
        stopping.start();
    }

    @Override
    protected void doStop() throws Exception {
        context.getManagementStrategy().removeEventNotifier(stopping);
        stopping.stop();
    }

    private synchronized void began() {
        if (stopBegan == 0) {
            stopBegan = System.nanoTime();
        }
    }

    private synchronized void reset() {
        stopBegan = 0;
    }

    /** Whether the context is stopping, its deadline running. */
    public boolean isStopping() {
        if (context.isStopping() && stopBegan == 0) {
            // a context that began stopping before the watch: from the first look on
            began();
        }
        return stopBegan != 0 && (context.isStopping() || context.isStopped());
    }

    /** How long is left until the deadline, in milliseconds: 0 once it passed; the whole bound while not stopping. */
    public long millisLeft() {
        long bound = TimeUnit.SECONDS.toMillis(boundSeconds(context.getShutdownStrategy()));
        if (!isStopping()) {
            return bound;
        }
        long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopBegan);
        return Math.max(0, bound - spent);
    }
}
