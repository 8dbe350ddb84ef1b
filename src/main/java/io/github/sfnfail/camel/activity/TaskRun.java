package io.github.sfnfail.camel.activity;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.engine.TaskWatch;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;

/**
 * One task's life through a route, read in one place: on a thread of the route's, its exchange is made (input as body,
 * token and activity as headers), its worker lets it start, its heartbeats start, the route runs it; once the route is
 * done with it, its outcome is decided from what its worker recorded and how the exchange ended ({@link TaskOutcome}),
 * it is answered ({@link ActivityAnswers}), and its slot is freed. Every transition goes through the worker, which
 * owns the task's state.
 */
final class TaskRun {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);

    private final ActivityWorker worker;
    private final SfnActivityConsumer consumer;
    private final SfnActivityConfiguration configuration;
    private final TaskWatch watch;

    TaskRun(ActivityWorker worker, SfnActivityConsumer consumer) {
        this.worker = worker;
        this.consumer = consumer;
        this.configuration = consumer.getEndpoint().getConfiguration();
        this.watch = TaskWatch.of(consumer.getEndpoint().getCamelContext());
    }

    /** Runs the task through the route, on the thread that calls it (one of the route's). */
    void run(ActivityTask task) {
        Exchange exchange;
        HeartbeatKeeper keeper;
        try {
            exchange = consumer.createExchange(false);
            exchange.getMessage().setBody(task.input());
            exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, task.token());
            exchange.getMessage().setHeader(SfnConstants.ACTIVITY_ARN, worker.activityArn());
            keeper = keeper(task, exchange);
        } catch (Throwable cannotStart) {
            // an exchange factory, a listener or a timer that threw, or no memory for a thread: never left in hand
            worker.couldNotStart(task, cannotStart);
            return;
        }
        if (!worker.starts(task, exchange.getExchangeId(), keeper)) {
            release(exchange);
            return;
        }
        if (keeper != null) {
            keeper.start();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Running activity task {}", TaskTokens.mask(task.token()));
        }
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> ended(task, exchange));
        } catch (Throwable e) {
            exchange.setException(e);
            ended(task, exchange);
        }
    }

    /** The consumer's keeper of the task's heartbeats (heartbeatPeriod), which lasts until its answer lands. */
    private HeartbeatKeeper keeper(ActivityTask task, Exchange exchange) {
        long period = configuration.getHeartbeatPeriod();
        if (period <= 0) {
            return null;
        }
        ActivityCounters counters = worker.counters();
        return new HeartbeatKeeper(task.resources(), watch,
                SendTaskHeartbeatRequest.builder().taskToken(task.token()).build(), period,
                new HeartbeatKeeper.Observer() {
                    @Override
                    public void beat() {
                        counters.countHeartbeat();
                    }
                }).telling(exchange);
    }

    /** The route is done with the task: it is answered as its outcome says, and its slot freed. */
    private void ended(ActivityTask task, Exchange exchange) {
        if (!worker.routeEnded(task)) {
            // a stop gave up on the task and failed it already: what the route did is not answered
            release(exchange);
            return;
        }
        TaskOutcome outcome;
        try {
            outcome = TaskOutcome.of(task, exchange, configuration.isAutoAnswer(),
                    configuration.isFailOnCaughtException());
        } catch (RuntimeException e) {
            outcome = new TaskOutcome(TaskOutcome.Kind.FAIL, e, false);
        }
        TaskOutcome decided = outcome;
        worker.answers().answer(task, decided, exchange).whenComplete((done, error) -> {
            try {
                release(exchange);
            } finally {
                if (decided.kind() == TaskOutcome.Kind.LEFT_TO_ROUTE) {
                    worker.leaveToRoute(task);
                } else {
                    worker.answerDone(task);
                }
            }
        });
    }

    private void release(Exchange exchange) {
        try {
            consumer.releaseExchange(exchange, false);
        } catch (RuntimeException e) {
            LOG.debug("Releasing the exchange of an activity task failed: {}", e.getMessage(), e);
        }
    }
}
