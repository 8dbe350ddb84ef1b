package io.github.sfnfail.camel.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The thread pools the component runs blocking or route work on: a fixed number of threads, made only while there is
 * work (idle ones go after a minute), and an unbounded queue behind them. Nothing a pool is handed ever runs on the
 * thread that handed it over: Camel's hand-off queue with caller-runs (what a maximum queue size of -1 gives) would run
 * a 60 s poll on a timer thread or a route on the HTTP client's. Work handed to a pool that is shut down is refused
 * with a {@link java.util.concurrent.RejectedExecutionException}, for the caller to settle.
 */
public final class WorkerThreads {

    private WorkerThreads() {
    }

    /** A pool of the context's executor service manager, shut down with its source (or by the caller). */
    public static ExecutorService newPool(CamelContext context, Object source, String name, int threads) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return context.getExecutorServiceManager().newThreadPool(source, name, profile);
    }
}
