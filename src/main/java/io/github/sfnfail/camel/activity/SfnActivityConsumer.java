package io.github.sfnfail.camel.activity;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.ActivityHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's attachment to its activity's {@link ActivityWorker}: Camel's lifecycle of the consumer, told to the worker,
 * which owns the polls and the tasks; the tasks it hands over run through the route on the consumer's own threads
 * ({@link TaskRun}).
 * <p>
 * The consumer follows its own status in Camel, whatever path led there: it attaches when it starts, and again when
 * Camel resumes it after a forced stop (a suspension that timed out stops the consumer, then suspends and resumes the
 * same instance without starting it); it detaches when it stops. A graceful stop ({@link #deferShutdown}) makes the
 * route drain: no new polls, while Camel waits for the tasks in hand ({@link #getPendingExchangesSize}), not for the open
 * polls, so an idle worker stops at once. From {@link #prepareShutdown} on, a graceful stop starts no task: one that
 * comes is refused, no work done. Only a stop that gives up (Camel's shutdown timeout, a forced stop) fails a task the
 * route still runs, with {@value #WORKER_STOPPED}. A stop Camel aborts after its timeout leaves the route started: the
 * consumer then polls again.
 */
public class SfnActivityConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    /**
     * The error name of a task failed because the consumer had stopped, or stopped while the route ran it: a state
     * machine's Retry on it hands the task to a worker that runs.
     */
    public static final String WORKER_STOPPED = "AwsSfnActivity.WorkerStopped";
    /**
     * The error name of a task a worker had in hand when it ended abruptly (SIGKILL, an OOM kill, a crash), failed by
     * the next worker to start on the same task journal: a state machine's Retry on it hands the task on.
     */
    public static final String WORKER_LOST = "AwsSfnActivity.WorkerLost";

    /** How often a draining consumer checks whether Camel aborted its stop. */
    static final long ABORT_CHECK_MILLIS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(SfnActivityConsumer.class);

    private final SfnActivityEndpoint endpoint;
    private volatile ActivityWorker worker;
    private volatile TaskRun taskRun;
    /** This start's attachment to the worker; null while stopped. */
    private volatile Attachment attachment;
    private volatile ScheduledFuture<?> abortCheck;
    /** Checks in a row that saw the stop aborted: Camel ends a timed-out stop just before it stops a consumer too. */
    private int abortSeen;

    public SfnActivityConsumer(SfnActivityEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    public SfnActivityEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        attach();
        // optional: only when consumer health checks are on
        HealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(),
                "consumers", HealthCheckRepository.class);
        if (repository != null && getHealthCheck() == null) {
            ActivityHealthCheck check = new ActivityHealthCheck(getRouteId(), endpoint.getActivityArn(),
                    () -> currentWorker().health().errorCode(), () -> currentWorker().health().error(),
                    () -> currentWorker().trouble());
            check.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
    }

    private ActivityWorker currentWorker() {
        return worker;
    }

    /** Attaches this start of the consumer to its worker: from now on it runs the tasks it is handed. */
    private void attach() {
        ActivityWorker using = endpoint.worker();
        WorkerShape shape = endpoint.shape();
        endpoint.workers().checkAttach(using, shape, routeName());
        // threads made only when none is idle, at most one per task in hand, gone after a minute idle
        ExecutorService threads = WorkerThreads.newPool(endpoint.getCamelContext(), this, "AwsSfnActivity",
                shape.maxTasks());
        worker = using;
        taskRun = new TaskRun(using, this);
        endpoint.warnWhenPollsAreCapped(shape.mostPollers());
        int leftOpen = using.pollsOpen();
        try {
            attachment = using.attach(this, shape, endpoint.client(), threads);
        } catch (RuntimeException refused) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(threads);
            throw refused;
        }
        LOG.info("Working for activity {} as {} with {} long poll(s){}", endpoint.getActivityArn(),
                endpoint.workerName(), using.pollerRange(),
                leftOpen > 0 ? " (" + leftOpen + " still open from before)" : "");
    }

    private String routeName() {
        return getRouteId() != null ? getRouteId() : endpoint.getEndpointBaseUri();
    }

    /** Runs a task the worker handed over, on this thread (one of the consumer's). */
    void run(ActivityTask task) {
        taskRun.run(task);
    }

    @Override
    protected void doSuspend() throws Exception {
        Attachment current = attachment;
        if (current != null && isLateSuspensionOfAStartedRoute()) {
            LOG.debug("Route {}: a suspension whose timeout passed came after the route was started again: the consumer "
                      + "goes on polling", routeName());
        } else if (current != null) {
            worker.suspend(current);
        }
        super.doSuspend();
    }

    /**
     * Whether Camel's shutdown task suspends the consumer after the suspension it served had timed out and the route was
     * resumed: Camel interrupts that task, which then goes on to suspend the consumers of the route anyway, while the
     * route says Started. Applying it would leave a started route that never polls.
     */
    private boolean isLateSuspensionOfAStartedRoute() {
        if (!Thread.currentThread().isInterrupted()
            || !endpoint.getCamelContext().getShutdownStrategy().hasTimeoutOccurred() || getRouteId() == null) {
            return false;
        }
        ServiceStatus status = endpoint.getCamelContext().getRouteController().getRouteStatus(getRouteId());
        return status != null && status.isStarted();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        Attachment current = attachment;
        if (current == null || current.detached()) {
            // Camel resumed a consumer it had stopped (a suspension that timed out forces a stop): it is started again
            LOG.info("Route {} resumed after its consumer had been stopped: it works for activity {} again",
                    routeName(), endpoint.getActivityArn());
            doStart();
        } else {
            worker.resume(current);
        }
    }

    @Override
    protected void doStop() throws Exception {
        cancelAbortCheck();
        Attachment stopping = attachment;
        attachment = null;
        if (stopping != null) {
            settle(stopping);
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(stopping.threads());
            if (endpoint.getCamelContext().getShutdownStrategy().hasTimeoutOccurred()
                && !endpoint.getCamelContext().isStopping()) {
                ForcedStopWatch.watch(endpoint.getCamelContext(), this, getRouteId());
            }
        }
        super.doStop();
    }

    /**
     * What the stop does to the tasks the route still runs: a graceful stop that waited for the tasks in hand waits for
     * those that started as it finished counting (at most its timeout), then gives up on what still runs; a stop that
     * timed out, or was forced, gives them up at once.
     */
    private void settle(Attachment stopping) {
        ShutdownStrategy strategy = endpoint.getCamelContext().getShutdownStrategy();
        boolean afterTimeout = strategy.hasTimeoutOccurred();
        boolean graceful = stopping.gated() && !afterTimeout && !strategy.isForceShutdown();
        List<ActivityTask> running = worker.detach(stopping);
        if (running.isEmpty()) {
            return;
        }
        if (graceful) {
            awaitRoutes(running, strategy.getTimeUnit().toMillis(strategy.getTimeout()));
        }
        worker.giveUp(running, routeName(), afterTimeout || graceful);
    }

    /** Waits for the route to be done with these tasks, without giving up on an interrupt (the flag is set again). */
    private static void awaitRoutes(List<ActivityTask> running, long millis) {
        CompletableFuture<Void> all = CompletableFuture.allOf(running.stream().map(ActivityTask::routeDone)
                .toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        try {
            while (!all.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    all.get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // graceful shutdown: no new polls; Camel waits for the tasks in hand

    /**
     * Called as the graceful stop or suspension of the route or the context begins: no new polls from now on, but the
     * consumer keeps running while Camel waits for the tasks in hand. Camel may abort a route's stop after its timeout
     * (stopRoute with abortAfterTimeout, JMX stop(timeout, abort)) and leave the route started without telling the
     * consumer: until the stop or suspension reaches the consumer, it checks for that, and polls again if so.
     */
    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        Attachment current = attachment;
        if (current != null && worker.drain(current)) {
            watchForAbortedStop(current);
        }
        return true;
    }

    /**
     * The graceful stop waited for the tasks in hand and stops the route next: no task starts from now on. A
     * suspension only lets the tasks that come run, as before.
     */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        Attachment current = attachment;
        if (current != null && !suspendOnly) {
            worker.gate(current);
        }
    }

    /**
     * The tasks in hand that Camel does not count as in flight itself (handed over and not yet in the route, being
     * answered, or left to the routes): with Camel's own count, every task in hand once. Open polls are not pending
     * exchanges.
     */
    @Override
    public int getPendingExchangesSize() {
        Attachment current = attachment;
        if (current == null) {
            return 0;
        }
        int inRoute = getRouteId() == null ? 0
                : endpoint.getCamelContext().getInflightRepository().size(getRouteId());
        int pending = worker.pendingOf(current, inRoute);
        LOG.debug("Route {} has {} task(s) in hand besides the {} in flight in it", routeName(), pending, inRoute);
        return pending;
    }

    private void watchForAbortedStop(Attachment draining) {
        ScheduledExecutorService scheduler = endpoint.scheduler();
        if (scheduler == null) {
            return;
        }
        cancelAbortCheck();
        abortSeen = 0;
        try {
            abortCheck = scheduler.scheduleWithFixedDelay(() -> checkForAbortedStop(draining), ABORT_CHECK_MILLIS,
                    ABORT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the endpoint is stopping with the context
        }
    }

    private void checkForAbortedStop(Attachment draining) {
        if (!worker.isDraining(draining)) {
            cancelAbortCheck();
            return;
        }
        // twice in a row: a stop that times out and goes on by force stops the consumer a moment after its timeout
        abortSeen = stopWasAborted() ? abortSeen + 1 : 0;
        if (abortSeen >= 2) {
            cancelAbortCheck();
            worker.stopAborted(draining);
        }
    }

    /**
     * Whether the graceful stop that made the route drain is over without having stopped or suspended it: the shutdown
     * strategy (whichever it is) says its timeout occurred, and the consumer is still started, in a context that is not
     * stopping.
     */
    private boolean stopWasAborted() {
        CamelContext context = endpoint.getCamelContext();
        return context.getShutdownStrategy().hasTimeoutOccurred() && isStarted() && !context.isStopping();
    }

    private void cancelAbortCheck() {
        ScheduledFuture<?> check = abortCheck;
        abortCheck = null;
        if (check != null) {
            check.cancel(false);
        }
    }
}
