package io.github.sfnfail.camel.activity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.ActivityHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.engine.DefaultShutdownStrategy;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;

/**
 * Runs an activity's tasks through the route: each task its endpoint's {@link ActivityWorker} hands over runs on the
 * consumer's own threads (never on the HTTP client's), is answered when its exchange completes, and is kept alive by
 * heartbeats meanwhile. Every start, stop, suspension and graceful shutdown step is passed to the worker, which owns
 * the polls and tasks and decides what each step does to them (its class comment has the states).
 * <p>
 * Camel's graceful shutdown waits for the tasks in hand ({@link #getPendingExchangesSize()} counts those Camel does not
 * see in flight: handed over and not yet in the route, or being answered), not for the open polls: an idle worker
 * stops at once. A poll the stop leaves open stays open (Step Functions may already be handing it a task): a task it
 * brings after the stop is failed at once with {@value #WORKER_STOPPED}, and a context stop waits for such polls before
 * it closes the client (see the endpoint). When the stop gives up on a task the route still runs (Camel's shutdown
 * timeout), the task is failed with {@value #WORKER_STOPPED} too. A stop that Camel aborts after its timeout leaves the
 * route started: the consumer then polls again.
 */
public class SfnActivityConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    /**
     * The error name of a task failed because the consumer had stopped, or stopped while the route ran it: a state
     * machine's Retry on it hands the task to a worker that runs.
     */
    public static final String WORKER_STOPPED = "AwsSfnActivity.WorkerStopped";

    /** How often a draining consumer checks whether Camel aborted its stop. */
    static final long ABORT_CHECK_MILLIS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(SfnActivityConsumer.class);

    private final SfnActivityEndpoint endpoint;
    private final ActivityWorker worker;
    private final ActivityCounters counters;
    private volatile ExecutorService tasks;
    private volatile ScheduledFuture<?> abortCheck;
    /** Checks in a row that saw the stop aborted: Camel ends its shutdown task just before it stops a consumer too. */
    private int abortSeen;

    public SfnActivityConsumer(SfnActivityEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.worker = endpoint.worker();
        this.counters = endpoint.getActivityCounters();
    }

    @Override
    public SfnActivityEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // threads made only when none is idle, at most one per task in hand, gone after a minute idle
        tasks = WorkerThreads.newPool(endpoint.getCamelContext(), this, "AwsSfnActivity", worker.maxTasks());
        PollHealth health = worker.health();
        // optional: only when consumer health checks are on
        HealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(),
                "consumers", HealthCheckRepository.class);
        if (repository != null) {
            ActivityHealthCheck check = new ActivityHealthCheck(getRouteId(), endpoint.getActivityArn(),
                    health::errorCode, health::error);
            check.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
        endpoint.warnWhenPollsAreCapped(worker.pollerCount());
        int leftOpen = worker.start(this, endpoint.client());
        LOG.info("Working for activity {} as {} with {} long poll(s){}", endpoint.getActivityArn(),
                endpoint.workerName(), worker.pollerRange(),
                leftOpen > 0 ? " (" + leftOpen + " still open from before the restart)" : "");
    }

    /**
     * Runs a task the worker handed over on the consumer's threads, and answers it once its exchange completes; when the
     * consumer's threads take no more (it is stopping), the worker fails the task instead.
     */
    void run(ActivityTask task) {
        ExecutorService pool = tasks;
        if (pool != null) {
            try {
                pool.execute(() -> process(task));
                return;
            } catch (RejectedExecutionException stopping) {
                // stopped between the hand-over and now
            }
        }
        worker.cannotRun(task);
    }

    private void process(ActivityTask task) {
        String token = task.token();
        Exchange exchange;
        HeartbeatKeeper keeper;
        try {
            exchange = createExchange(false);
            exchange.getMessage().setBody(task.input());
            exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
            exchange.getMessage().setHeader(SfnConstants.ACTIVITY_ARN, endpoint.getActivityArn());
            // the route may answer the task itself: its aws-sfn-success or aws-sfn-fail marks it here
            TaskMarks.ANSWERED.watch(exchange);
            keeper = keeper(exchange, task);
        } catch (RuntimeException cannotStart) {
            worker.couldNotStart(task, cannotStart);
            return;
        }
        if (!worker.taskStarts(task, keeper)) {
            releaseExchange(exchange, false);
            return;
        }
        if (keeper != null) {
            keeper.start();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Running activity task {}", TaskTokens.mask(token));
        }
        try {
            getAsyncProcessor().process(exchange, doneSync -> completed(exchange, task, keeper));
        } catch (Throwable e) {
            exchange.setException(e);
            completed(exchange, task, keeper);
        }
    }

    private HeartbeatKeeper keeper(Exchange exchange, ActivityTask task) {
        long period = endpoint.getConfiguration().getHeartbeatPeriod();
        if (period <= 0) {
            return null;
        }
        return new HeartbeatKeeper(task.resources(), exchange,
                SendTaskHeartbeatRequest.builder().taskToken(task.token()).build(), period,
                new HeartbeatKeeper.Observer() {
                    @Override
                    public void beat() {
                        counters.countHeartbeat();
                    }

                    @Override
                    public void stopped(HeartbeatKeeper stopped) {
                        // the task's answer or its stop ended it
                    }
                });
    }

    private void completed(Exchange exchange, ActivityTask task, HeartbeatKeeper keeper) {
        if (!worker.taskCompleted(task)) {
            // a stop gave up on the task and failed it already
            if (keeper != null) {
                keeper.stop();
            }
            releaseExchange(exchange, false);
            return;
        }
        // no heartbeat follows the answer on the wire
        (keeper != null ? keeper.pause() : CompletableFuture.<Void> completedFuture(null))
                .thenCompose(quiet -> worker.answers().answer(exchange, task))
                .whenComplete((done, error) -> {
                    if (keeper != null) {
                        keeper.stop();
                    }
                    releaseExchange(exchange, false);
                    worker.taskDone(task);
                });
    }

    @Override
    protected void doSuspend() throws Exception {
        worker.suspend(this);
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        worker.resume(this);
    }

    @Override
    protected void doStop() throws Exception {
        cancelAbortCheck();
        worker.stop(this);
        ExecutorService pool = tasks;
        tasks = null;
        if (pool != null) {
            // a task handed over and not started yet is refused by the worker when its thread picks it up
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(pool);
        }
        super.doStop();
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
        worker.drain(this);
        watchForAbortedStop();
        return true;
    }

    /** Nothing to prepare: the stop itself ({@link #doStop}) settles the tasks still in hand. */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // Camel may call this late, from a shutdown task that timed out, on a route already started again
    }

    /**
     * The tasks in hand that Camel does not count as in flight itself (handed over and not yet in the route, or being
     * answered): with Camel's own count, every task in hand once. Open polls are not pending exchanges.
     */
    @Override
    public int getPendingExchangesSize() {
        int inRoute = getRouteId() == null ? 0
                : endpoint.getCamelContext().getInflightRepository().size(getRouteId());
        return Math.max(0, worker.tasksInHand() - inRoute);
    }

    private void watchForAbortedStop() {
        ScheduledExecutorService scheduler = endpoint.scheduler();
        if (scheduler == null) {
            return;
        }
        cancelAbortCheck();
        abortSeen = 0;
        try {
            abortCheck = scheduler.scheduleWithFixedDelay(this::checkForAbortedStop, ABORT_CHECK_MILLIS,
                    ABORT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the endpoint is stopping with the context
        }
    }

    private void checkForAbortedStop() {
        if (!worker.isDraining(this)) {
            cancelAbortCheck();
            return;
        }
        // twice in a row: a stop that times out without shutting down the routes clears Camel's shutdown task a moment
        // before it stops the consumer
        abortSeen = stopWasAborted() ? abortSeen + 1 : 0;
        if (abortSeen >= 2) {
            cancelAbortCheck();
            worker.stopAborted(this);
        }
    }

    /**
     * Whether the graceful stop that made the consumer drain is over without having stopped or suspended it: Camel's
     * shutdown task is done (a stop that went through stopped the consumer before its task ended), and the consumer is
     * still started, in a context that is not stopping.
     */
    private boolean stopWasAborted() {
        CamelContext context = endpoint.getCamelContext();
        ShutdownStrategy strategy = context.getShutdownStrategy();
        if (!(strategy instanceof DefaultShutdownStrategy graceful)
            || graceful.getCurrentShutdownTaskFuture() != null) {
            return false;
        }
        return isStarted() && !context.isStopping();
    }

    private void cancelAbortCheck() {
        ScheduledFuture<?> check = abortCheck;
        abortCheck = null;
        if (check != null) {
            check.cancel(false);
        }
    }
}
