package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.TaskTokens;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.ActivityHealthCheck;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;

/**
 * Works for one activity: {@code concurrentPollers} long polls open at once, each bringing one task at a time to the
 * route, which runs on the consumer's own threads (never on the HTTP client's); the task is answered when its exchange
 * completes, and heartbeats keep it alive meanwhile.
 * <p>
 * Stopping loses nothing that can be saved: stopping the route or the context stops new polls, and Camel's graceful
 * shutdown waits for what is pending ({@link #getPendingExchangesSize()}): tasks in hand, and polls still open, since
 * Step Functions may already have assigned a task to one of them. Such a task is run and answered like any other. A
 * poll still open when the wait ends (Camel waits 45 s by default, AWS holds a poll up to 60 s) stays open: a task it
 * brings after the stop is failed with {@value #WORKER_STOPPED}, and a restart counts it as one of its polls.
 */
public class SfnActivityConsumer extends DefaultConsumer implements ShutdownAware {

    /**
     * The error name of a task failed because the consumer had stopped when a poll left open brought it: a state
     * machine's Retry on it hands the task to a worker that runs.
     */
    public static final String WORKER_STOPPED = "AwsSfnActivity.WorkerStopped";

    private static final Logger LOG = LoggerFactory.getLogger(SfnActivityConsumer.class);

    private final SfnActivityEndpoint endpoint;
    private final ActivityCounters counters;
    private final Set<HeartbeatKeeper> keepers = ConcurrentHashMap.newKeySet();
    private volatile boolean polling;
    private volatile ExecutorService tasks;
    private volatile ActivityAnswers answers;

    public SfnActivityConsumer(SfnActivityEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.counters = endpoint.getActivityCounters();
    }

    @Override
    public SfnActivityEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ActivityPollers pollers = endpoint.pollers();
        int count = pollers.size();
        tasks = WorkerThreads.newPool(endpoint.getCamelContext(), this, "AwsSfnActivity", count);
        answers = new ActivityAnswers(endpoint);
        PollHealth health = pollers.health();
        // optional: only when consumer health checks are on
        HealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(),
                "consumers", HealthCheckRepository.class);
        if (repository != null) {
            ActivityHealthCheck check = new ActivityHealthCheck(getRouteId(), endpoint.getActivityArn(),
                    health::errorCode, health::error);
            check.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
        int concurrentPollers = endpoint.getConfiguration().getConcurrentPollers();
        if (count < concurrentPollers) {
            LOG.warn("concurrentPollers={} is more than the Step Functions client from the registry has connections for "
                     + "(clientConnections={}, the SDK's default unless set): the consumer for activity {} opens at most "
                     + "{} polls, so that its answers always find a connection. To have {}, build the client with a "
                     + "larger pool (maxConcurrency or maxConnections) and set clientConnections to it",
                    concurrentPollers, endpoint.getConfiguration().getClientConnections(), endpoint.getActivityArn(),
                    count, concurrentPollers);
        }
        polling = true;
        long open = counters.pollsOpen();
        LOG.info("Working for activity {} as {} with {} long poll(s){}", endpoint.getActivityArn(),
                endpoint.workerName(), count, open > 0 ? " (" + open + " still open from before the restart)" : "");
        pollers.workFor(this);
    }

    boolean isPolling() {
        return polling && isRunAllowed();
    }

    /**
     * Runs the task the poll brought on the consumer's threads, and calls next once it is answered; when the consumer
     * has stopped (a poll left open past the stop brought it) the route cannot run it, so it is failed at once with
     * {@value #WORKER_STOPPED} for the state machine's Retry to hand it to a worker that runs.
     */
    void run(GetActivityTaskResponse task, Runnable next) {
        counters.countTaskTaken();
        ExecutorService pool = tasks;
        if (pool != null) {
            try {
                pool.execute(() -> process(task, next));
                return;
            } catch (RejectedExecutionException stopping) {
                // stopped between the check and the hand-over
            }
        }
        answers.refuse(task.taskToken(), WORKER_STOPPED, "The Camel route of activity worker "
                                                         + endpoint.workerName() + " stopped before it could run this "
                                                         + "task (a long poll left open past the stop brought it): no "
                                                         + "work was done, and a Retry on " + WORKER_STOPPED
                                                         + " hands it to a worker that runs")
                .whenComplete((done, error) -> {
                    counters.countTaskDone();
                    next.run();
                });
    }

    private void process(GetActivityTaskResponse task, Runnable next) {
        String token = task.taskToken();
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(task.input());
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
        exchange.getMessage().setHeader(SfnConstants.ACTIVITY_ARN, endpoint.getActivityArn());
        // the route may answer the task itself: its aws-sfn-success or aws-sfn-fail marks it here
        TaskMarks.ANSWERED.watch(exchange);
        HeartbeatKeeper keeper = keepAlive(exchange, token);
        LOG.debug("Running activity task {}", TaskTokens.mask(token));
        try {
            getAsyncProcessor().process(exchange, doneSync -> completed(exchange, token, keeper, next));
        } catch (Throwable e) {
            exchange.setException(e);
            completed(exchange, token, keeper, next);
        }
    }

    private HeartbeatKeeper keepAlive(Exchange exchange, String token) {
        long period = endpoint.getConfiguration().getHeartbeatPeriod();
        if (period <= 0) {
            return null;
        }
        HeartbeatKeeper keeper = new HeartbeatKeeper(endpoint, exchange,
                SendTaskHeartbeatRequest.builder().taskToken(token).build(), period, new HeartbeatKeeper.Observer() {
                    @Override
                    public void beat() {
                        counters.countHeartbeat();
                    }

                    @Override
                    public void stopped(HeartbeatKeeper stopped) {
                        keepers.remove(stopped);
                    }
                });
        keepers.add(keeper);
        keeper.start();
        return keeper;
    }

    private void completed(Exchange exchange, String token, HeartbeatKeeper keeper, Runnable next) {
        if (keeper != null) {
            keeper.stop();
        }
        answers.answer(exchange, token).whenComplete((done, error) -> {
            releaseExchange(exchange, false);
            counters.countTaskDone();
            next.run();
        });
    }

    @Override
    protected void doSuspend() throws Exception {
        polling = false;
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        polling = true;
        endpoint.pollers().workFor(this);
    }

    @Override
    protected void doStop() throws Exception {
        polling = false;
        new ArrayList<>(keepers).forEach(HeartbeatKeeper::stop);
        ExecutorService pool = tasks;
        tasks = null;
        if (pool != null) {
            // tasks in hand finish; a task a poll still brings is failed with WORKER_STOPPED
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(pool);
        }
        super.doStop();
    }

    // graceful shutdown: no new polls; wait for the open ones and the tasks in hand

    /**
     * Only says what a forced shutdown leaves: the polls stopped when the shutdown began ({@link #deferShutdown}), and a
     * stop or suspension stops them too. (Camel may call this late, from a shutdown task that timed out, on a route
     * already started again: it must not stop that route's polls.)
     */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (forced && getPendingExchangesSize() > 0) {
            LOG.warn("Shutting down with {} poll(s) open and {} task(s) in hand for activity {}: a task a poll "
                     + "still brings is failed with {} as long as the client lives, for a Retry to hand it on",
                    counters.pollsOpen(), counters.tasksInHand(), endpoint.getActivityArn(), WORKER_STOPPED);
        }
    }

    /**
     * Called as the graceful shutdown of the route or the context begins: no new polls from now on, but the consumer
     * keeps running while Camel waits for what is pending, since a task an open poll brings must still run.
     */
    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        polling = false;
        return true;
    }

    @Override
    public int getPendingExchangesSize() {
        return (int) (counters.pollsOpen() + counters.tasksInHand());
    }
}
