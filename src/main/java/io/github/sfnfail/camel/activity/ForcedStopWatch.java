package io.github.sfnfail.camel.activity;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a stop that timed out, watches that the route's consumer is not left stopped while the route is started.
 * Camel's shutdown task, interrupted when a suspension times out, goes on to suspend the consumer after Camel's own
 * forced stop; the resume that follows then skips the consumer (it is stopped, not suspended), and the route says
 * Started with a consumer that never polls. Seen in about one run in three of a suspension with a 1 s timeout. The
 * watch starts the consumer again in that case, and ends once the route is stopped, the consumer is started, the
 * context stops, or two minutes passed.
 */
final class ForcedStopWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ForcedStopWatch.class);
    private static final long LOOK_MILLIS = 250;
    private static final long WATCH_MILLIS = TimeUnit.MINUTES.toMillis(2);

    private ForcedStopWatch() {
    }

    /** Starts watching the consumer of this route, stopped just now by a stop that timed out. */
    static void watch(CamelContext context, Consumer consumer, String routeId) {
        if (routeId == null) {
            return;
        }
        ScheduledExecutorService timer = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(ForcedStopWatch.class, "AwsSfnActivityForcedStopWatch");
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);
        timer.scheduleWithFixedDelay(() -> {
            if (look(context, consumer, routeId, until)) {
                context.getExecutorServiceManager().shutdown(timer);
            }
        }, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** @return whether the watch is over */
    private static boolean look(CamelContext context, Consumer consumer, String routeId, long until) {
        try {
            if (System.nanoTime() > until || !context.getStatus().isStarted()
                || !ServiceHelper.isStopped(consumer)) {
                return !ServiceHelper.isStopped(consumer) || System.nanoTime() > until
                       || context.getStatus().isStopping() || context.getStatus().isStopped();
            }
            ServiceStatus route = context.getRouteController().getRouteStatus(routeId);
            if (route == null || route.isStopping() || route.isStopped()) {
                return true;
            }
            if (!route.isStarted()) {
                // suspended, or between states: look again
                return false;
            }
            LOG.info("Route {} is started, but Camel left its activity consumer stopped after a stop that timed out: "
                     + "starting it again", routeId);
            consumer.start();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Route {}: could not start its activity consumer again after a stop that timed out: {}", routeId,
                    e.getMessage(), e);
            return true;
        }
    }
}
