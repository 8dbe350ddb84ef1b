package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sfnfail.camel.engine.ContextServices;
import io.github.sfnfail.camel.engine.TaskWatch;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity workers of a Camel context, one per activity, worker name and client ({@link WorkerKey}), and what they
 * share: the connections of a client from the registry ({@link ClientPollBudget}), the 1,000 pollers Step Functions
 * allows per activity, and the index of the tasks in hand by token and by exchange, through which the worker of a task
 * hears what a route did to it (answered it, found it closed, had an error handler handle a failure). A context service,
 * like Temporal's worker factory: the routes' consumers attach to its workers, which outlive them.
 */
final class ActivityWorkers extends ServiceSupport implements TaskWatch.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityWorkers.class);

    /** A task in hand and its worker. */
    private record Tracked(ActivityTask task, ActivityWorker worker) {
    }

    private final CamelContext context;
    private final Map<WorkerKey, ActivityWorker> workers = new HashMap<>();
    private final Map<Object, ClientPollBudget> budgets = new HashMap<>();
    private final Map<String, Tracked> byToken = new ConcurrentHashMap<>();
    private final Map<String, ActivityTask> byExchange = new ConcurrentHashMap<>();
    private final ErrorHandlerWatch errorHandlers = new ErrorHandlerWatch(byExchange::get);
    private final ProcessExitHold exitHold = new ProcessExitHold(this);

    private ActivityWorkers(CamelContext context) {
        this.context = context;
    }

    static ActivityWorkers of(CamelContext context) {
        return ContextServices.of(context, ActivityWorkers.class, ActivityWorkers::new,
                "the Step Functions activity workers");
    }

    CamelContext context() {
        return context;
    }

    @Override
    protected void doStart() throws Exception {
        TaskWatch.of(context).listen(this);
        context.getManagementStrategy().addEventNotifier(errorHandlers);
        errorHandlers.start();
        exitHold.arm();
    }

    @Override
    protected void doStop() throws Exception {
        // a worker still busy as the context stops lets go of its journal: what it holds stays for the next start
        snapshot().forEach(ActivityWorker::idle);
        TaskWatch.of(context).unlisten(this);
        context.getManagementStrategy().removeEventNotifier(errorHandlers);
        errorHandlers.stop();
        exitHold.disarm();
    }

    /**
     * The worker an endpoint's start polls with: the one of its key, made when there is none.
     *
     * @param where where its calls go, for the hints of failed polls
     */
    synchronized ActivityWorker workerFor(WorkerKey key, WorkerShape shape, String where, Object registryClient) {
        ActivityWorker worker = workers.get(key);
        if (worker == null) {
            ClientPollBudget budget = registryClient == null ? null
                    : budgets.computeIfAbsent(registryClient, client -> new ClientPollBudget(shape.clientConnections()));
            worker = new ActivityWorker(key, this, shape, where, budget);
            workers.put(key, worker);
        }
        return worker;
    }

    /**
     * Checks, before a route attaches to its worker, what the routes of the context share: the 1,000 pollers Step
     * Functions allows per activity (counted over every worker of the activity here), and the connections of one client
     * from the registry (every route on it must say the same clientConnections; polls beyond what it holds are warned
     * about, and shared).
     *
     * @throws IllegalArgumentException naming the routes, when they could never work together
     */
    void checkAttach(ActivityWorker worker, WorkerShape asked, String route) {
        List<ActivityWorker> others;
        synchronized (this) {
            others = new ArrayList<>(workers.values());
        }
        others.remove(worker);
        int pollers = asked.mostPollers();
        List<String> onActivity = new ArrayList<>();
        for (ActivityWorker other : others) {
            if (other.activityArn().equals(worker.activityArn()) && !other.routes().isEmpty()) {
                pollers += other.shape().mostPollers();
                onActivity.addAll(other.routes());
            }
        }
        if (pollers > SfnActivityEndpoint.MAX_POLLERS) {
            throw new IllegalArgumentException("The routes " + onActivity + " and " + route + " would open up to "
                                               + pollers + " long polls for activity " + worker.activityArn()
                                               + " together: Step Functions refuses more than "
                                               + SfnActivityEndpoint.MAX_POLLERS + " pollers per activity "
                                               + "(ActivityWorkerLimitExceeded). Lower maxConcurrentPollers");
        }
        ClientPollBudget budget = worker.budget();
        if (budget == null) {
            return;
        }
        if (budget.connections() != asked.clientConnections()) {
            throw new IllegalArgumentException("Route " + route + " says the Step Functions client from the registry has "
                                               + "clientConnections=" + asked.clientConnections() + ", but routes "
                                               + "on the same client said " + budget.connections() + ": give every "
                                               + "route on one client the same clientConnections, its pool's size");
        }
        int polls = asked.mostPollers();
        List<String> onClient = new ArrayList<>();
        for (ActivityWorker other : others) {
            if (other.budget() == budget && !other.routes().isEmpty()) {
                polls += other.shape().mostPollers();
                onClient.addAll(other.routes());
            }
        }
        if (!onClient.isEmpty() && polls > budget.polls()) {
            LOG.warn("The routes {} and {} poll through the same Step Functions client from the registry and may open up "
                     + "to {} long polls together, more than its clientConnections={} connections hold beside those kept "
                     + "for answers and heartbeats ({}): they share those {} polls. To have them all, build the client "
                     + "with a larger pool (maxConcurrency or maxConnections) and set clientConnections to it", onClient,
                    route, polls, budget.connections(), budget.connections() - budget.polls(), budget.polls());
        }
    }

    /** The worker may have nothing left to do: it goes once nothing uses it. */
    void maybeIdle(ActivityWorker worker) {
        boolean gone = false;
        synchronized (this) {
            if (workers.get(worker.key()) == worker && worker.isIdle()) {
                workers.remove(worker.key());
                gone = true;
            }
        }
        if (gone) {
            worker.idle();
        }
    }

    // the index of the tasks in hand

    /** A poll brought the task: its worker hears what routes do to it. */
    void track(ActivityTask task, ActivityWorker worker) {
        byToken.put(task.token(), new Tracked(task, worker));
    }

    void untrack(ActivityTask task) {
        byToken.computeIfPresent(task.token(), (token, tracked) -> tracked.task() == task ? null : tracked);
    }

    /** The task's exchange entered the route: what its error handler does to it is recorded on the task. */
    void exchangeStarted(ActivityTask task) {
        byExchange.put(task.exchangeId(), task);
    }

    void exchangeEnded(ActivityTask task) {
        if (task.exchangeId() != null) {
            byExchange.remove(task.exchangeId(), task);
        }
    }

    @Override
    public void answered(String token) {
        Tracked tracked = byToken.get(token);
        if (tracked != null) {
            tracked.worker().settledElsewhere(tracked.task(), false);
        }
    }

    @Override
    public void closed(String token) {
        Tracked tracked = byToken.get(token);
        if (tracked != null) {
            tracked.worker().settledElsewhere(tracked.task(), true);
        }
    }

    // the process

    /** Whether a worker has a poll open, a task in hand, or a route polling or draining. */
    boolean hasWorkUnderWay() {
        return snapshot().stream().anyMatch(ActivityWorker::hasWorkUnderWay);
    }

    /** Whether no worker has a poll open or a task in hand. */
    boolean isQuiet() {
        return snapshot().stream().allMatch(ActivityWorker::isQuiet);
    }

    /** The activities whose polls or tasks are under way, for a log line. */
    List<String> busyActivities() {
        return snapshot().stream().filter(worker -> !worker.isQuiet()).map(ActivityWorker::activityArn).distinct()
                .toList();
    }

    private synchronized List<ActivityWorker> snapshot() {
        return new ArrayList<>(workers.values());
    }
}
