package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.TaskTokens;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.ActivityHealthCheck;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.spi.ThreadPoolProfile;
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
 * Step Functions may already have assigned a task to one of them. Such a task is run and answered like any other.
 */
public class SfnActivityConsumer extends DefaultConsumer implements ShutdownAware {

    private static final Logger LOG = LoggerFactory.getLogger(SfnActivityConsumer.class);

    private final SfnActivityEndpoint endpoint;
    private final ActivityCounters counters;
    private final Set<HeartbeatKeeper> keepers = ConcurrentHashMap.newKeySet();
    private final List<ActivityPoller> pollers = new ArrayList<>();
    private volatile boolean polling;
    private volatile ExecutorService tasks;
    private ActivityAnswers answers;
    private PollBackoff backoff;

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
        SfnActivityConfiguration configuration = endpoint.getConfiguration();
        tasks = endpoint.getCamelContext().getExecutorServiceManager().newThreadPool(this, "AwsSfnActivity",
                taskThreads(configuration.getConcurrentPollers()));
        answers = new ActivityAnswers(endpoint);
        backoff = new PollBackoff(endpoint.getActivityArn());
        // optional: only when consumer health checks are on
        HealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(),
                "consumers", HealthCheckRepository.class);
        if (repository != null) {
            ActivityHealthCheck check = new ActivityHealthCheck(getRouteId(), endpoint.getActivityArn(),
                    backoff::errorCode, backoff::error);
            check.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
        polling = true;
        pollers.clear();
        for (int i = 0; i < configuration.getConcurrentPollers(); i++) {
            pollers.add(new ActivityPoller(this, backoff));
        }
        LOG.info("Working for activity {} as {} with {} long poll(s)", endpoint.getActivityArn(), endpoint.workerName(),
                pollers.size());
        pollers.forEach(ActivityPoller::poll);
    }

    /** One thread per poller at most, made only while tasks run: an open poll holds none. */
    private static ThreadPoolProfile taskThreads(int pollers) {
        ThreadPoolProfile profile = new ThreadPoolProfile("AwsSfnActivity");
        profile.setPoolSize(pollers);
        profile.setMaxPoolSize(pollers);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        // never more waiting than pollers, since a poller polls again only once its task is answered
        profile.setMaxQueueSize(-1);
        return profile;
    }

    boolean isPolling() {
        return polling && isRunAllowed();
    }

    /** Runs the task the poll brought, and calls next once it is answered. */
    void run(GetActivityTaskResponse task, Runnable next) {
        counters.countTaskTaken();
        try {
            tasks.execute(() -> process(task, next));
        } catch (RejectedExecutionException | NullPointerException stopped) {
            // stopping: the task was assigned to this worker, so it is run here rather than dropped
            process(task, next);
        }
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
    protected void doStop() throws Exception {
        polling = false;
        new ArrayList<>(keepers).forEach(HeartbeatKeeper::stop);
        if (tasks != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(tasks);
            tasks = null;
        }
        super.doStop();
    }

    // graceful shutdown: no new polls; wait for the open ones and the tasks in hand

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        polling = false;
        if (forced && getPendingExchangesSize() > 0) {
            LOG.warn("Shutting down with {} poll(s) open and {} task(s) in hand for activity {}: a task a poll still "
                     + "brings is run and answered as long as the client lives; any other waits for its "
                     + "HeartbeatSeconds or TimeoutSeconds", counters.pollsOpen(), counters.tasksInHand(),
                    endpoint.getActivityArn());
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
