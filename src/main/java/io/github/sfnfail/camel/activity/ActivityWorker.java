package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

/**
 * The one owner of an activity endpoint's long polls and tasks in hand, across every start, stop, suspension and
 * restart of the route's consumer (Camel makes a new consumer each time a route starts again, while a poll the stop
 * left open may still bring a task). Every state below is read and written only here, under this object's lock, and
 * each transition happens in one critical section; what a transition sets off (a poll, a task handed to the route, a
 * task failed) runs after it, outside the lock, and is decided by it alone.
 *
 * <h2>The worker</h2>
 * <pre>
 * STOPPED   --start(consumer)--&gt;     POLLING    (the consumer started; it runs the tasks from now on)
 * POLLING   --drain()--------------&gt; DRAINING   (a graceful stop or suspension of the route or context began)
 * DRAINING  --stopAborted()--------&gt; POLLING    (the stop timed out and was aborted: the route goes on)
 * POLLING, DRAINING --suspend()----&gt; SUSPENDED
 * SUSPENDED --resume()-------------&gt; POLLING
 * any       --stop()---------------&gt; STOPPED    (the consumer stopped)
 * </pre>
 * New polls open only in POLLING. A task a poll brings runs on the consumer in every phase but STOPPED (the route can
 * still run it while a stop drains or while it is suspended); in STOPPED nothing can run it, so it is failed at once
 * with {@value SfnActivityConsumer#WORKER_STOPPED}, for the state machine's Retry to hand it to a worker that runs.
 * A transition takes effect only for the consumer of the moment: a late call from a consumer that was replaced changes
 * nothing.
 *
 * <h2>A poller</h2>
 * <pre>
 * IDLE    --poll sent--&gt;     OPEN
 * OPEN    --poll back--&gt;     IDLE, or WAITING (after a failed poll: its own backoff; after an empty answer much
 *                            quicker than a long poll: about a second, so it never spins)
 * WAITING --its timer--&gt;     IDLE           (only the timer of its latest wait)
 * </pre>
 * An IDLE poller polls when the worker is POLLING, it is among the pollers wanted now, and an open poll fits beside
 * the tasks in hand within the limit of tasks ({@code open polls + tasks in hand <= limit}): no task is ever taken that
 * could not start at once. A poll left open by a stop stays its poller's: a restart counts it as one of its polls.
 *
 * <h2>A task in hand</h2>
 * <pre>
 * QUEUED    --route starts--&gt;    RUNNING --route done--&gt; ANSWERING --answer done--&gt; (gone)
 * QUEUED    --no consumer--&gt;     REFUSED (failed with WorkerStopped)  --answer done--&gt; (gone)
 * RUNNING   --stop()--&gt;          GIVEN_UP (failed with WorkerStopped) --answer done--&gt; (gone; the route's own end
 *                                 answers nothing)
 * </pre>
 * A task holds the client of the endpoint start that polled it (see {@link CallResources}), and a poll holds it while
 * it is open, so that both can be answered whatever stops meanwhile.
 */
final class ActivityWorker {

    /** An empty answer sooner than this did not long-poll. */
    static final long QUICK_EMPTY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What a poller waits after such an answer, jittered down to half. */
    static final long QUICK_EMPTY_PAUSE_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ActivityWorker.class);

    enum Phase {
        STOPPED, POLLING, DRAINING, SUSPENDED
    }

    /** What one start of the endpoint polls and answers through. */
    record Client(CallResources resources, TaskCalls polls) {
    }

    private enum PollState {
        IDLE, OPEN, WAITING
    }

    /** One long poll at a time; its fields are the worker's, guarded by its lock. */
    private static final class Poller {
        private final int index;
        private final PollBackoff backoff = new PollBackoff();
        private PollState state = PollState.IDLE;
        /** Tells the timer of the latest wait from those of earlier ones. */
        private int waitId;

        private Poller(int index) {
            this.index = index;
        }
    }

    private final SfnActivityEndpoint endpoint;
    private final ActivityCounters counters;
    private final PollHealth health;
    private final ActivityAnswers answers;
    private final GetActivityTaskRequest request;
    private final Poller[] pollers;
    private final PollScaler scaler;
    private final int maxTasks;

    // guarded by this
    private Phase phase = Phase.STOPPED;
    private SfnActivityConsumer consumer;
    private Client client;
    private int open;
    private final Set<ActivityTask> inHand = new LinkedHashSet<>();
    private boolean cutByReadTimeout;

    /**
     * @param fewestPollers the long polls kept open at least while there is room for their tasks
     * @param mostPollers   the long polls open at most, when polls keep bringing tasks
     * @param maxTasks      how many tasks may be in hand at once, open polls included (each may bring one)
     */
    ActivityWorker(SfnActivityEndpoint endpoint, int fewestPollers, int mostPollers, int maxTasks) {
        this.endpoint = endpoint;
        this.counters = endpoint.getActivityCounters();
        this.scaler = new PollScaler(fewestPollers, mostPollers);
        this.health = new PollHealth(endpoint.getActivityArn(), endpoint.whereCallsGo(), scaler::wanted);
        this.answers = new ActivityAnswers(endpoint);
        this.pollers = new Poller[mostPollers];
        for (int i = 0; i < mostPollers; i++) {
            this.pollers[i] = new Poller(i);
        }
        this.maxTasks = maxTasks;
        GetActivityTaskRequest.Builder poll = GetActivityTaskRequest.builder().activityArn(endpoint.getActivityArn())
                .workerName(endpoint.workerName());
        if (endpoint.pollsNeedTimeLimitsOfTheirOwn()) {
            // above the service's hold of 60 s, whatever the answers' time limits are
            poll.overrideConfiguration(override -> override.apiCallTimeout(SfnActivityConfiguration.POLL_TIMEOUT)
                    .apiCallAttemptTimeout(SfnActivityConfiguration.POLL_TIMEOUT));
        }
        this.request = poll.build();
    }

    PollHealth health() {
        return health;
    }

    ActivityAnswers answers() {
        return answers;
    }

    /** The most polls the worker opens. */
    int pollerCount() {
        return pollers.length;
    }

    /** The polls the worker opens, in words: "2" or, when they follow the work, "2 to 8". */
    String pollerRange() {
        int fewest = scaler.fewest();
        return fewest == pollers.length ? String.valueOf(fewest) : fewest + " to " + pollers.length;
    }

    /** The polls the worker wants open now, between its fewest and most. */
    int pollersWanted() {
        return scaler.wanted();
    }

    /** The most tasks in hand at once, open polls included. */
    int maxTasks() {
        return maxTasks;
    }

    // the consumer's lifecycle

    /**
     * The consumer started: it runs the tasks from now on, through this start of the endpoint.
     *
     * @return the polls still open from before (a stop left them open)
     */
    int start(SfnActivityConsumer started, Client current) {
        List<Runnable> effects;
        int leftOpen;
        synchronized (this) {
            phase = Phase.POLLING;
            consumer = started;
            client = current;
            leftOpen = open;
            effects = planPolls();
        }
        run(effects);
        return leftOpen;
    }

    /** A graceful stop or suspension began: no new polls, while the route still runs what is in hand. */
    synchronized void drain(SfnActivityConsumer draining) {
        if (consumer == draining && phase == Phase.POLLING) {
            phase = Phase.DRAINING;
        }
    }

    /** Whether the worker drains for this consumer. */
    synchronized boolean isDraining(SfnActivityConsumer draining) {
        return consumer == draining && phase == Phase.DRAINING;
    }

    /** The stop that began draining was aborted after its timeout and the route goes on: polls again. */
    void stopAborted(SfnActivityConsumer going) {
        List<Runnable> effects;
        synchronized (this) {
            if (consumer != going || phase != Phase.DRAINING) {
                return;
            }
            phase = Phase.POLLING;
            effects = planPolls();
        }
        LOG.info("The stop of the consumer for activity {} was aborted after its timeout: it polls again",
                endpoint.getActivityArn());
        run(effects);
    }

    synchronized void suspend(SfnActivityConsumer suspended) {
        if (consumer == suspended && phase != Phase.STOPPED) {
            phase = Phase.SUSPENDED;
        }
    }

    void resume(SfnActivityConsumer resumed) {
        List<Runnable> effects;
        synchronized (this) {
            if (consumer != resumed || phase == Phase.STOPPED) {
                return;
            }
            phase = Phase.POLLING;
            effects = planPolls();
        }
        run(effects);
    }

    /**
     * The consumer stopped: no task runs from now on. A task its route still runs was given up by the stop (Camel's
     * shutdown timed out and forces the stop): it is failed now with WorkerStopped, so that a Retry hands it on at once
     * instead of its execution waiting for HeartbeatSeconds, and the route's own end answers nothing.
     */
    void stop(SfnActivityConsumer stopped) {
        List<ActivityTask> givenUp = new ArrayList<>();
        int leftOpen;
        synchronized (this) {
            if (consumer != stopped) {
                return;
            }
            phase = Phase.STOPPED;
            consumer = null;
            for (ActivityTask task : inHand) {
                if (task.consumer() == stopped && task.state() == ActivityTask.State.RUNNING) {
                    task.state(ActivityTask.State.GIVEN_UP);
                    givenUp.add(task);
                }
            }
            leftOpen = open;
        }
        if (!givenUp.isEmpty()) {
            LOG.warn("The consumer for activity {} stopped while its route still ran {} task(s) (the stop gave up "
                     + "waiting for them): each is failed now with {}, for a Retry to hand it to a worker that runs; "
                     + "what the route does with it after that is not answered", endpoint.getActivityArn(),
                    givenUp.size(), SfnActivityConsumer.WORKER_STOPPED);
        }
        if (leftOpen > 0) {
            LOG.info("The consumer for activity {} stopped with {} long poll(s) open: Step Functions may still hand "
                     + "them a task (it holds a poll up to 60 s), and each such task is failed at once with {}",
                    endpoint.getActivityArn(), leftOpen, SfnActivityConsumer.WORKER_STOPPED);
        }
        givenUp.forEach(this::giveUp);
    }

    // tasks

    /**
     * The consumer's thread is about to run the task through the route, with this keeper of its heartbeats (not yet
     * started).
     *
     * @return false when it may not run any more: it was refused instead
     */
    boolean taskStarts(ActivityTask task, HeartbeatKeeper keeper) {
        synchronized (this) {
            if (task.state() != ActivityTask.State.QUEUED) {
                return false;
            }
            if (phase != Phase.STOPPED && consumer == task.consumer()) {
                task.state(ActivityTask.State.RUNNING);
                task.keeper(keeper);
                return true;
            }
            task.state(ActivityTask.State.REFUSED);
        }
        refuse(task);
        return false;
    }

    /** The consumer could not hand the task to a thread (it is stopping): refused. */
    void cannotRun(ActivityTask task) {
        if (refusedWhileQueued(task)) {
            refuse(task);
        }
    }

    /** Refuses a task the route has not started: whether it was still queued (else another path has it). */
    private synchronized boolean refusedWhileQueued(ActivityTask task) {
        if (task.state() != ActivityTask.State.QUEUED) {
            return false;
        }
        task.state(ActivityTask.State.REFUSED);
        return true;
    }

    /**
     * The route is done with the task.
     *
     * @return whether the consumer answers it now; false when a stop gave up on it (it was answered then)
     */
    synchronized boolean taskCompleted(ActivityTask task) {
        if (task.state() != ActivityTask.State.RUNNING) {
            return false;
        }
        task.state(ActivityTask.State.ANSWERING);
        return true;
    }

    /** The task's answer is done, whatever it met: its place is free, and a poll may open for the next one. */
    void taskDone(ActivityTask task) {
        List<Runnable> effects;
        synchronized (this) {
            if (!inHand.remove(task)) {
                return;
            }
            counters.countTaskDone();
            effects = planPolls();
        }
        task.resources().release();
        run(effects);
    }

    /** Tasks in hand, whatever their state (the route runs them, or their answer is on its way). */
    synchronized int tasksInHand() {
        return inHand.size();
    }

    /** Polls open now, from this start or left by a stop. */
    synchronized int pollsOpen() {
        return open;
    }

    /**
     * Whether a poll is open, a task in hand, or the pollers are at work (polling or draining): a poller between two
     * polls has none open, yet opens the next in a moment.
     */
    synchronized boolean hasWorkUnderWay() {
        return open > 0 || !inHand.isEmpty() || phase == Phase.POLLING || phase == Phase.DRAINING;
    }

    /**
     * The consumer could not make the task's exchange (an exchange factory, a listener or a timer that threw): the task
     * is failed at once rather than left in hand, unanswered, until its timeout.
     */
    void couldNotStart(ActivityTask task, RuntimeException cause) {
        if (!refusedWhileQueued(task)) {
            return;
        }
        LOG.error("Activity task {} could not be started: failing it with {}", TaskTokens.mask(task.token()),
                SfnActivityConsumer.WORKER_STOPPED, cause);
        answers.refuse(task, SfnActivityConsumer.WORKER_STOPPED, "Activity worker " + endpoint.workerName()
                + " could not start a Camel exchange for this task (" + cause.getClass().getName() + "): no work was "
                + "done, and a Retry on " + SfnActivityConsumer.WORKER_STOPPED + " hands it to another worker")
                .whenComplete((done, error) -> taskDone(task));
    }

    private void refuse(ActivityTask task) {
        LOG.info("Activity task {} came after the consumer stopped (a long poll left open by the stop brought it): "
                 + "failing it with {}", TaskTokens.mask(task.token()), SfnActivityConsumer.WORKER_STOPPED);
        answers.refuse(task, SfnActivityConsumer.WORKER_STOPPED, "The Camel route of activity worker "
                + endpoint.workerName() + " stopped before it could run this task (a long poll left open past the stop "
                + "brought it): no work was done, and a Retry on " + SfnActivityConsumer.WORKER_STOPPED + " hands it to a "
                + "worker that runs")
                .whenComplete((done, error) -> taskDone(task));
    }

    private void giveUp(ActivityTask task) {
        HeartbeatKeeper keeper;
        synchronized (this) {
            keeper = task.keeper();
        }
        CompletableFuture<Void> quiet = keeper != null ? keeper.pause() : CompletableFuture.completedFuture(null);
        quiet.thenCompose(ignored -> answers.refuse(task, SfnActivityConsumer.WORKER_STOPPED, "The Camel route of "
                + "activity worker " + endpoint.workerName() + " was stopped while it ran this task (the stop gave up "
                + "waiting for it after the shutdown timeout): the work may be partly done, and a Retry on "
                + SfnActivityConsumer.WORKER_STOPPED + " hands it to a worker that runs"))
                .whenComplete((done, error) -> {
                    if (keeper != null) {
                        keeper.stop();
                    }
                    taskDone(task);
                });
    }

    // polls

    /** The polls that may open now, each marked open: what it sets off runs after the lock. Under the lock. */
    private List<Runnable> planPolls() {
        List<Runnable> polls = new ArrayList<>();
        if (phase != Phase.POLLING || client == null) {
            return polls;
        }
        int wanted = scaler.wanted();
        for (int i = 0; i < wanted; i++) {
            Poller poller = pollers[i];
            if (open + inHand.size() >= maxTasks) {
                break;
            }
            if (poller.state != PollState.IDLE) {
                continue;
            }
            Client using = client;
            if (!using.resources().hold()) {
                // the endpoint stopped: its next start polls
                break;
            }
            poller.state = PollState.OPEN;
            open++;
            counters.countPollOpened();
            polls.add(() -> poll(poller, using));
        }
        return polls;
    }

    private void poll(Poller poller, Client using) {
        long started = System.nanoTime();
        CompletableFuture<GetActivityTaskResponse> answer;
        try {
            answer = using.polls().send(TaskCall.GET_ACTIVITY_TASK, request);
        } catch (Throwable e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((task, error) -> returned(poller, using, task, error, System.nanoTime() - started));
    }

    private void returned(Poller poller, Client using, GetActivityTaskResponse response, Throwable error,
                          long elapsedNanos) {
        List<Runnable> effects = new ArrayList<>();
        ActivityTask task = null;
        boolean afterStop = false;
        boolean readTimeout = false;
        List<Runnable> said = new ArrayList<>();
        synchronized (this) {
            poller.state = PollState.IDLE;
            open--;
            if (error != null) {
                counters.countPollFailed(PollHealth.code(error));
                if (phase == Phase.STOPPED) {
                    // a poll left open by a stop, ended by the client closing: no WARN and no health state
                    afterStop = true;
                } else {
                    readTimeout = cutByTheReadTimeout(error, elapsedNanos);
                    said.add(health.failed(poller, error));
                    scaler.failed();
                    waitThen(poller, poller.backoff.failed());
                }
            } else if (response.taskToken() == null) {
                counters.countPollAnswered(true);
                poller.backoff.succeeded();
                said.add(health.succeeded(poller));
                scaler.cameBackEmpty();
                if (elapsedNanos < QUICK_EMPTY_NANOS) {
                    waitThen(poller, QUICK_EMPTY_PAUSE_MILLIS / 2
                                     + ThreadLocalRandom.current().nextLong(QUICK_EMPTY_PAUSE_MILLIS / 2 + 1));
                }
            } else {
                counters.countPollAnswered(false);
                poller.backoff.succeeded();
                said.add(health.succeeded(poller));
                scaler.broughtTask();
                // the poll's hold on the client becomes the task's
                task = new ActivityTask(response.taskToken(), response.input(), using.resources());
                inHand.add(task);
                counters.countTaskTaken();
                SfnActivityConsumer runner = phase != Phase.STOPPED ? consumer : null;
                if (runner != null) {
                    task.state(ActivityTask.State.QUEUED);
                    task.consumer(runner);
                    ActivityTask queued = task;
                    effects.add(() -> runner.run(queued));
                } else {
                    task.state(ActivityTask.State.REFUSED);
                    ActivityTask refused = task;
                    effects.add(() -> refuse(refused));
                }
            }
            if (poller.state == PollState.IDLE && poller.index >= scaler.wanted()) {
                // let go: its latest failure no longer says anything about the polls
                said.add(health.letGo(poller));
            }
            effects.addAll(planPolls());
        }
        if (task == null) {
            using.resources().release();
        }
        run(said);
        if (afterStop) {
            LOG.debug("A poll for tasks of activity {} ended after the stop: {}", endpoint.getActivityArn(),
                    error.getMessage());
        }
        if (readTimeout) {
            LOG.warn("A long poll for tasks of activity {} was cut off by the HTTP client's read timeout after {} s: "
                     + "Step Functions holds a poll up to 60 s and may be handing it a task, which is then lost until "
                     + "its timeout. Give the Step Functions client a read timeout of at least 70 s "
                     + "(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(70)))",
                    endpoint.getActivityArn(), TimeUnit.NANOSECONDS.toSeconds(elapsedNanos));
        }
        run(effects);
    }

    /**
     * Whether a poll the client's read timeout ended before the service's hold of 60 s was cut (a task being handed to
     * it is lost), the first time: said once, with the fix, since the SDK does not show a client's read timeout. Under
     * the lock.
     */
    private boolean cutByTheReadTimeout(Throwable error, long elapsedNanos) {
        if (cutByReadTimeout || !PollHealth.isReadTimeout(error)
            || elapsedNanos >= SfnActivityConfiguration.POLL_TIMEOUT.toNanos() - TimeUnit.SECONDS.toNanos(1)) {
            return false;
        }
        cutByReadTimeout = true;
        return true;
    }

    /** The poller waits, then is IDLE again (only by the timer of this wait). Under the lock. */
    private void waitThen(Poller poller, long millis) {
        ScheduledExecutorService scheduler = client != null ? client.resources().scheduler() : null;
        if (scheduler == null) {
            return;
        }
        poller.state = PollState.WAITING;
        int waitId = ++poller.waitId;
        try {
            scheduler.schedule(() -> waited(poller, waitId), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: its next start polls
            poller.state = PollState.IDLE;
        }
    }

    private void waited(Poller poller, int waitId) {
        List<Runnable> effects;
        Runnable said = () -> {
        };
        synchronized (this) {
            if (poller.state != PollState.WAITING || poller.waitId != waitId) {
                return;
            }
            poller.state = PollState.IDLE;
            if (poller.index >= scaler.wanted()) {
                // let go while it waited out a failure: its failure no longer says anything about the polls
                said = health.letGo(poller);
            }
            effects = planPolls();
        }
        said.run();
        run(effects);
    }

    private static void run(List<Runnable> effects) {
        for (Runnable effect : effects) {
            effect.run();
        }
    }
}
