package io.github.sfnfail.camel.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The thread pools the component runs blocking or route work on: at most a fixed number of threads, each made only
 * when no thread of the pool is idle (so that a burst of short work, or a route that goes asynchronous at once, keeps
 * a handful), gone after a minute idle; once all are busy, work waits in an unbounded queue for the first to be free.
 * Nothing a pool is handed ever runs on the thread that handed it over: a caller-runs policy would run a 60 s poll on a
 * timer thread or a route on the HTTP client's. Work handed to a pool that is shut down is refused with a
 * {@link RejectedExecutionException}, for the caller to settle. The threads are named as Camel names its own.
 */
public final class WorkerThreads {

    private static final long KEEP_ALIVE_SECONDS = 60;

    private WorkerThreads() {
    }

    /**
     * A timer of one thread for timed work (heartbeats, retries, backoff), with no limit on what it holds (Camel's own
     * scheduled pools refuse the 1,001st job, which a thousand tasks in hand each with a heartbeat would meet) and that
     * refuses new work once shut down, with a {@link RejectedExecutionException}, instead of dropping it silently.
     * Jobs scheduled before the shutdown still run. For the caller to shut down.
     */
    public static ScheduledExecutorService newTimer(CamelContext context, String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new CamelThreadFactory(
                context.getExecutorServiceManager().getThreadNamePattern(), name, true));
        // a cancelled heartbeat or wait goes at once instead of waiting out its delay
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A pool for the caller to shut down (through the context's executor service manager, say). */
    public static ExecutorService newPool(CamelContext context, Object source, String name, int threads) {
        return new ElasticPool(name + " of " + source, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new CamelThreadFactory(context.getExecutorServiceManager().getThreadNamePattern(), name, true));
    }
}
