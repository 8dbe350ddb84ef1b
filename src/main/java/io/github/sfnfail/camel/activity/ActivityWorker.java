package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.journal.LostTask;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

/**
 * The one worker of an activity in a Camel context (one per {@link WorkerKey}: activity, worker name, client), owned by
 * the context's {@link ActivityWorkers}, outliving the routes' consumers and endpoints: it holds every long poll and
 * every task in hand, and the routes attach to it ({@link Attachment}) as their consumers start and detach as they
 * stop. A reload, a restart or a second route on the same activity therefore shares its open polls and its limits.
 * Every state is read and written only here, under this object's lock, one transition at a time; what a transition
 * sets off (a poll, a task handed to a route, a task failed) runs after it, outside the lock.
 *
 * <h2>The worker</h2> It polls while at least one attached route is RUNNING ({@link Attachment.Phase}); a task a poll
 * brings goes to a RUNNING route (in turn), else to one that drains or is suspended (it still runs what comes), else,
 * with no route that may start it, it is failed at once with {@value Refusals#WORKER_STOPPED}, for the state machine's
 * Retry to hand it to a worker that runs. The polls are the {@link Pollers}'; each task's life is its
 * {@link ActivityTask}'s, run by a {@link TaskRun}.
 * <p>
 * A task holds the client of the endpoint start that polled it (see {@link CallResources}), and a poll holds it while
 * it is open, so that both can be answered whatever stops meanwhile.
 *
 * <h2>The journal</h2> With a task journal ({@link WorkerJournal}), the worker opens it at its first attach, before it
 * polls: the tasks a worker of its identity left behind when it ended abruptly are failed at once with
 * {@value Refusals#WORKER_LOST} (they take slots until answered, so they go before new work). Each task a poll brings is
 * recorded before it is handed to a route, and taken out when its slot is free and it is settled; one whose answer could
 * not be sent stays, for the next start to fail. A journal that cannot write loses no task: the task runs all the same.
 */
final class ActivityWorker {

    /** An empty answer sooner than this did not long-poll. */
    static final long QUICK_EMPTY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What a poller waits after such an answer, jittered down to half. */
    static final long QUICK_EMPTY_PAUSE_MILLIS = 1_000;
    /** How long no poll may be open, with a route started and room for tasks, before the health check says so. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final Logger LOG = LoggerFactory.getLogger(ActivityWorker.class);

    /** What one start of an endpoint polls through. */
    record Client(CallResources resources, TaskCalls polls, GetActivityTaskRequest request) {
    }

    private final WorkerKey key;
    private final ActivityWorkers workers;
    private final ActivityCounters counters = new ActivityCounters();
    private final PollHealth health;
    private final ActivityAnswers answers;
    /** The connections of a client from the registry, shared with every worker on it; null for a client built. */
    private final ClientPollBudget budget;

    // guarded by this
    private WorkerShape shape;
    private WorkerJournal journal;
    private final Pollers pollers;
    private final List<Attachment> attached = new ArrayList<>();
    private int nextRunner;
    private Client client;
    private final Set<ActivityTask> inHand = new LinkedHashSet<>();
    private int endpointsStarted;
    private boolean cutByReadTimeout;
    private long stalledSince;

    ActivityWorker(WorkerKey key, ActivityWorkers workers, WorkerShape shape, String where, ClientPollBudget budget) {
        this.key = key;
        this.workers = workers;
        this.shape = shape;
        this.budget = budget;
        this.pollers = new Pollers(shape.fewestPollers(), shape.mostPollers());
        this.health = new PollHealth(key.activityArn(), where, this::pollersWanted);
        this.answers = new ActivityAnswers(counters, workers.context());
        this.journal = new WorkerJournal(shape.journal(), key.activityArn(), key.workerName());
    }

    WorkerKey key() {
        return key;
    }

    String activityArn() {
        return key.activityArn();
    }

    String workerName() {
        return key.workerName();
    }

    ActivityCounters counters() {
        return counters;
    }

    PollHealth health() {
        return health;
    }

    ActivityAnswers answers() {
        return answers;
    }

    ClientPollBudget budget() {
        return budget;
    }

    synchronized WorkerShape shape() {
        return shape;
    }

    synchronized WorkerJournal journal() {
        return journal;
    }

    /** The polls the worker opens, in words: "2" or, when they follow the work, "2 to 8". */
    synchronized String pollerRange() {
        return pollers.range();
    }

    /** The polls the worker wants open now, between its fewest and most. */
    int pollersWanted() {
        synchronized (this) {
            return pollers.wanted();
        }
    }

    /** The most tasks in hand at once, open polls included. */
    synchronized int maxTasks() {
        return shape.maxTasks();
    }

    /** The routes attached now, for messages. */
    synchronized List<String> routes() {
        return attached.stream().map(Attachment::route).toList();
    }

    // the endpoints and routes that use the worker

    synchronized void endpointStarted() {
        endpointsStarted++;
    }

    void endpointStopped() {
        synchronized (this) {
            endpointsStarted--;
        }
        workers.maybeIdle(this);
    }

    /** Nothing uses the worker any more: no endpoint started, no route attached, no poll open, no task in hand. */
    synchronized boolean isIdle() {
        return endpointsStarted <= 0 && attached.isEmpty() && pollers.open() == 0 && inHand.isEmpty();
    }

    /**
     * A route's consumer started (or resumed after a forced stop): it runs the tasks from now on, through this start of
     * its endpoint. A route that attaches while others are attached must shape the worker as they do; one that attaches
     * alone (a reload) brings its shape.
     *
     * @return the attachment, and how many polls were still open from before
     */
    Attachment attach(SfnActivityConsumer consumer, WorkerShape asked, Client current, ExecutorService threads) {
        List<Runnable> effects;
        WorkerJournal opening;
        Attachment attachment = new Attachment(consumer, threads, current);
        synchronized (this) {
            for (Attachment other : attached) {
                String difference = shape.differenceFrom(asked);
                if (difference != null) {
                    throw new IllegalArgumentException("The routes " + other.route() + " and " + attachment.route()
                                                       + " both work for activity " + key.activityArn() + " as "
                                                       + key.workerName() + " through the same client, and share one "
                                                       + "worker's polls and tasks, but their options differ ("
                                                       + difference + "): give them the same, or another workerName");
                }
            }
            if (attached.isEmpty() && !asked.equals(shape)) {
                if (!journal.isOpen() && !asked.sameJournal(shape)) {
                    journal = new WorkerJournal(asked.journal(), key.activityArn(), key.workerName());
                }
                shape = asked;
                pollers.reshape(asked.fewestPollers(), asked.mostPollers());
            }
            attached.add(attachment);
            client = current;
            opening = journal.needsOpening() ? journal : null;
            effects = opening == null ? planPolls() : List.of();
        }
        if (opening != null) {
            openJournal(opening, attachment);
            synchronized (this) {
                effects = planPolls();
            }
        }
        run(effects);
        return attachment;
    }

    /**
     * Opens the journal before the first poll: what a worker of this identity left behind is failed with WorkerLost.
     * A journal another live worker holds refuses the start, and the route does not attach.
     */
    private void openJournal(WorkerJournal opening, Attachment attachment) {
        try {
            opening.open(this::leftBehind);
        } catch (RuntimeException refused) {
            synchronized (this) {
                attachment.detach();
                attached.remove(attachment);
            }
            workers.maybeIdle(this);
            throw refused;
        }
    }

    /**
     * Tasks the journal says a worker that ended abruptly had in hand (at the open, or later, claimed from a fleet's
     * lapsed worker): each is failed now with WorkerLost, through the client of the latest start. They stay in the
     * journal until that answer lands, so nothing is lost if this worker dies too.
     */
    private void leftBehind(List<LostTask> tasks) {
        List<ActivityTask> failing = new ArrayList<>();
        synchronized (this) {
            Client using = client;
            if (using == null) {
                throw new IllegalStateException("no route of activity " + key.activityArn() + " is attached");
            }
            for (LostTask lost : tasks) {
                if (!using.resources().hold()) {
                    break;
                }
                ActivityTask task = ActivityTask.leftBehind(lost.token(), using.resources());
                task.state(ActivityTask.State.REFUSED);
                inHand.add(task);
                failing.add(task);
            }
        }
        LOG.info("Failing {} task(s) of activity {} that worker {} had in hand when it ended abruptly with {}, for a "
                 + "Retry to hand them on", failing.size(), key.activityArn(),
                tasks.stream().map(LostTask::workerName).distinct().toList(), Refusals.WORKER_LOST);
        for (int i = 0; i < failing.size(); i++) {
            ActivityTask task = failing.get(i);
            LostTask lost = tasks.get(i);
            answers.refuse(task, Refusals.WORKER_LOST, Refusals.lost(lost.workerName(), lost.since()))
                    .whenComplete((done, error) -> answerDone(task));
        }
    }

    /** The worker is idle and goes: its journal is written and let go of (what is left in it stays for the next start). */
    void idle() {
        WorkerJournal closing;
        synchronized (this) {
            closing = journal;
        }
        closing.close();
    }

    /** Polls open now, from any start of any attached route, or left by a stop. */
    synchronized int pollsOpen() {
        return pollers.open();
    }

    /** A graceful stop or suspension began: no new polls for the route, which still runs what comes. */
    synchronized boolean drain(Attachment attachment) {
        if (attachment.detached() || attachment.phase() != Attachment.Phase.RUNNING) {
            return false;
        }
        attachment.phase(Attachment.Phase.DRAINING);
        return true;
    }

    /** Whether the route drains. */
    synchronized boolean isDraining(Attachment attachment) {
        return !attachment.detached() && attachment.phase() == Attachment.Phase.DRAINING;
    }

    /**
     * The graceful stop waited for the tasks in hand and stops the route next: no task starts on it from now on (one
     * that comes is refused, no work done). Only a stop that began here gates the route: Camel may call this late, from
     * a shutdown task that timed out, after the route started again.
     */
    synchronized void gate(Attachment attachment) {
        if (!attachment.detached() && attachment.phase() == Attachment.Phase.DRAINING) {
            attachment.gated(true);
        }
    }

    /** The stop that made the route drain was aborted after its timeout, and the route goes on: it polls again. */
    void stopAborted(Attachment attachment) {
        List<Runnable> effects;
        synchronized (this) {
            if (attachment.detached() || attachment.phase() != Attachment.Phase.DRAINING) {
                return;
            }
            attachment.phase(Attachment.Phase.RUNNING);
            attachment.gated(false);
            effects = planPolls();
        }
        LOG.info("The stop of route {} (activity {}) was aborted after its timeout: it polls again", attachment.route(),
                key.activityArn());
        run(effects);
    }

    synchronized void suspend(Attachment attachment) {
        if (!attachment.detached()) {
            attachment.phase(Attachment.Phase.SUSPENDED);
        }
    }

    void resume(Attachment attachment) {
        List<Runnable> effects;
        synchronized (this) {
            if (attachment.detached()) {
                return;
            }
            attachment.phase(Attachment.Phase.RUNNING);
            attachment.gated(false);
            effects = planPolls();
        }
        run(effects);
    }

    /**
     * The route's consumer stopped: nothing more runs on it. Its open polls stay open (Step Functions may be handing
     * them a task) and are the worker's: another attached route, or the next start, runs what they bring.
     *
     * @return the tasks the route still runs (or left to its routes), for the stop to wait for or give up
     */
    List<ActivityTask> detach(Attachment attachment) {
        List<ActivityTask> running = new ArrayList<>();
        int leftOpen;
        boolean alone;
        synchronized (this) {
            if (attachment.detached()) {
                return running;
            }
            attachment.detach();
            attached.remove(attachment);
            alone = attached.isEmpty();
            if (client == attachment.client() && !attached.isEmpty()) {
                // new polls go through the client of a route still attached
                client = attached.get(attached.size() - 1).client();
            }
            for (ActivityTask task : inHand) {
                if (task.attachment() == attachment && (task.state() == ActivityTask.State.RUNNING
                                                        || task.state() == ActivityTask.State.LEFT_TO_ROUTE)) {
                    running.add(task);
                }
            }
            leftOpen = pollers.open();
        }
        if (alone && leftOpen > 0) {
            LOG.info("Route {} stopped with {} long poll(s) of activity {} open: Step Functions may still hand them a "
                     + "task (it holds a poll up to 60 s); a route attached again runs it, else it is failed at once "
                     + "with {}", attachment.route(), leftOpen, key.activityArn(), Refusals.WORKER_STOPPED);
        }
        workers.maybeIdle(this);
        return running;
    }

    /**
     * A stop gave up on tasks the route still runs (Camel's shutdown timeout passed, or a forced stop): each still
     * running is failed now with WorkerStopped, its heartbeats paused first, so that a Retry hands it on at once instead
     * of its execution waiting for HeartbeatSeconds. Its slot stays taken until the route is done with it too. The
     * answers go on a timer thread of the task's client, never on the stop's thread, which Camel may have interrupted.
     */
    void giveUp(Collection<ActivityTask> tasks, String route, boolean afterTimeout) {
        List<ActivityTask> givenUp = new ArrayList<>();
        synchronized (this) {
            for (ActivityTask task : tasks) {
                if (task.state() == ActivityTask.State.RUNNING || task.state() == ActivityTask.State.LEFT_TO_ROUTE) {
                    task.state(ActivityTask.State.GIVEN_UP);
                    task.givenUp();
                    givenUp.add(task);
                }
            }
        }
        if (givenUp.isEmpty()) {
            return;
        }
        LOG.warn("Route {} stopped while it still ran {} task(s) of activity {} ({}): each is failed now with {}, for a "
                 + "Retry to hand it to a worker that runs; what the route does with it after that is not answered, and "
                 + "its end is said in one line", route, givenUp.size(), key.activityArn(),
                afterTimeout ? "the stop gave up waiting for them after the shutdown timeout" : "a forced stop",
                Refusals.WORKER_STOPPED);
        String cause = Refusals.givenUp(key.workerName(), afterTimeout);
        for (ActivityTask task : givenUp) {
            onCleanThread(task, () -> answers.refuse(task, Refusals.WORKER_STOPPED, cause)
                    .whenComplete((done, error) -> answerDone(task)));
        }
    }

    /** Runs on the timer of the task's client (a thread nobody interrupts), or here once that is closed. */
    private static void onCleanThread(ActivityTask task, Runnable work) {
        ScheduledExecutorService timer = task.resources().scheduler();
        if (timer != null) {
            try {
                timer.execute(work);
                return;
            } catch (RejectedExecutionException closing) {
                // the client closes: nothing better than this thread
            }
        }
        work.run();
    }

    // tasks

    /**
     * A route's thread is about to run the task, with this exchange and keeper of its heartbeats (not yet started).
     *
     * @return false when it may not run any more: it was refused instead
     */
    boolean starts(ActivityTask task, String exchangeId, HeartbeatKeeper keeper) {
        boolean stopping;
        synchronized (this) {
            if (task.state() != ActivityTask.State.QUEUED) {
                return false;
            }
            Attachment runner = task.attachment();
            if (runner.takesTasks()) {
                task.state(ActivityTask.State.RUNNING);
                task.exchangeId(exchangeId);
                task.keeper(keeper);
                workers.exchangeStarted(task);
                return true;
            }
            task.state(ActivityTask.State.REFUSED);
            stopping = runner.gated() && !runner.detached();
        }
        if (stopping) {
            refuse(task, Refusals.stopping(key.workerName()), "its route was stopping and starts no new task");
        } else {
            refuse(task, Refusals.noRouteRuns(key.workerName()), "its route had stopped");
        }
        return false;
    }

    /**
     * The route could not make the task's exchange (an exchange factory, a listener or a timer that threw): the task is
     * failed at once rather than left in hand, unanswered, until its timeout.
     */
    void couldNotStart(ActivityTask task, Throwable cause) {
        synchronized (this) {
            if (task.state() != ActivityTask.State.QUEUED) {
                return;
            }
            task.state(ActivityTask.State.REFUSED);
        }
        LOG.error("Activity task {} could not be started: failing it with {}", TaskTokens.mask(task.token()),
                Refusals.WORKER_STOPPED, cause);
        refuse(task, Refusals.couldNotStart(key.workerName(), cause), null);
    }

    /**
     * The route is done with the task.
     *
     * @return whether the route's end is answered now; false when a stop gave up on it (it was answered then, and its
     *         slot is freed now if that answer is done)
     */
    boolean routeEnded(ActivityTask task) {
        boolean answer;
        boolean free = false;
        synchronized (this) {
            workers.exchangeEnded(task);
            answer = task.state() == ActivityTask.State.RUNNING;
            if (answer) {
                task.state(ActivityTask.State.ANSWERING);
            } else if (task.state() == ActivityTask.State.GIVEN_UP) {
                free = task.answerDone();
            }
        }
        task.routeDone().complete(null);
        if (free) {
            finish(task);
        }
        return answer;
    }

    /**
     * The route ended without answering the task and automatic answers are off: the task stays in hand (its slot
     * taken, its heartbeats going on) until its answer lands anywhere in the application or a heartbeat finds it
     * closed.
     */
    void leaveToRoute(ActivityTask task) {
        boolean done;
        synchronized (this) {
            if (task.state() != ActivityTask.State.ANSWERING) {
                return;
            }
            done = task.answeredByRoute() || task.closed();
            if (!done) {
                task.state(ActivityTask.State.LEFT_TO_ROUTE);
            }
        }
        if (done) {
            answerDone(task);
        }
    }

    /** A closing answer for the task landed through a route (or found it closed), or a heartbeat found it closed. */
    void settledElsewhere(ActivityTask task, boolean closed) {
        boolean done;
        synchronized (this) {
            if (closed) {
                task.closed(true);
            } else {
                task.answeredByRoute(true);
            }
            done = task.state() == ActivityTask.State.LEFT_TO_ROUTE;
            if (done) {
                task.state(ActivityTask.State.ANSWERING);
            }
        }
        if (done) {
            if (!closed) {
                counters.countAnsweredByRoute();
            } else {
                counters.countClosedByService();
            }
            answerDone(task);
        }
    }

    /**
     * The task's answer is done, whatever it met: its client is let go of and, unless its route still runs it (a stop
     * gave up on it), its slot is free and a poll may open for the next one.
     */
    void answerDone(ActivityTask task) {
        boolean free;
        WorkerJournal recorded;
        synchronized (this) {
            task.answerDone(true);
            free = task.state() != ActivityTask.State.GIVEN_UP || task.routeDone().isDone();
            recorded = journal;
        }
        if (free) {
            finish(task);
        } else {
            task.releaseResources();
            if (task.settled()) {
                // its answer landed: out of the journal now, not once its route ends, which may be after the journal
                // closed with the context (the next start would fail it again, as lost)
                recorded.remove(task.token());
            }
        }
    }

    private void finish(ActivityTask task) {
        List<Runnable> effects;
        boolean givenUp;
        WorkerJournal recorded;
        synchronized (this) {
            if (!inHand.remove(task)) {
                return;
            }
            if (!task.isLeftBehind()) {
                counters.countTaskDone();
            }
            givenUp = task.state() == ActivityTask.State.GIVEN_UP;
            effects = planPolls();
            recorded = journal;
        }
        if (task.settled()) {
            // else its answer could not be sent: it stays in the journal, for the next start to fail as lost
            recorded.remove(task.token());
        }
        workers.untrack(task);
        task.releaseResources();
        if (task.keeper() != null) {
            task.keeper().stop();
        }
        if (givenUp) {
            LOG.info("The route finished activity task {} {} s after the stop gave it up and failed it with {}: what it "
                     + "did was not answered", TaskTokens.mask(task.token()),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - task.givenUpNanos()), Refusals.WORKER_STOPPED);
        }
        run(effects);
        workers.maybeIdle(this);
    }

    /**
     * Fails a task no route ran, with WorkerStopped.
     *
     * @param why for the INFO line, or null when the caller said why already
     */
    private void refuse(ActivityTask task, String cause, String why) {
        if (why != null) {
            LOG.info("Activity task {} came when no route could start it ({}): failing it with {}",
                    TaskTokens.mask(task.token()), why, Refusals.WORKER_STOPPED);
        }
        task.routeDone().complete(null);
        answers.refuse(task, Refusals.WORKER_STOPPED, cause).whenComplete((done, error) -> answerDone(task));
    }

    /** Tasks in hand, whatever their state. */
    synchronized int tasksInHand() {
        return inHand.size();
    }

    /**
     * The tasks in hand of this route, each once, that Camel does not count as in flight in the route itself (handed
     * over and not yet in the route, being answered, or left to the routes): what a graceful stop waits for beside
     * Camel's own count.
     */
    synchronized int pendingOf(Attachment attachment, int inRoute) {
        int mine = 0;
        for (ActivityTask task : inHand) {
            if (task.attachment() == attachment && task.state() != ActivityTask.State.GIVEN_UP) {
                mine++;
            }
        }
        return Math.max(0, mine - inRoute);
    }

    /**
     * Whether a poll is open, a task in hand, or a route polling or draining: a poller between two polls has none
     * open, yet opens the next in a moment.
     */
    synchronized boolean hasWorkUnderWay() {
        return pollers.open() > 0 || !inHand.isEmpty() || attached.stream().anyMatch(
                attachment -> attachment.phase() != Attachment.Phase.SUSPENDED);
    }

    /** Whether no poll is open and no task in hand. */
    synchronized boolean isQuiet() {
        return pollers.open() == 0 && inHand.isEmpty();
    }

    /**
     * Why no poll is open although a route is started and there is room for a task, when that has lasted
     * {@link #STALL_NANOS} or longer; null while polls are open, or a reason explains there are none (tasks at the
     * limit, a poller waiting out a failure, a client's connections all taken).
     */
    /** What is wrong with the worker, for its health check: its journal cannot write, or its polls stall; else null. */
    String trouble() {
        String journalProblem = journal().problem();
        if (journalProblem != null) {
            return "The task journal of activity " + key.activityArn() + " cannot record tasks (" + journalProblem
                   + "): they run and are answered, but a worker that ends abruptly now leaves them unanswered until "
                   + "their timeout";
        }
        return stall();
    }

    synchronized String stall() {
        boolean polling = attached.stream().anyMatch(attachment -> attachment.phase() == Attachment.Phase.RUNNING);
        boolean stalled = polling && pollers.open() == 0 && inHand.size() < shape.maxTasks() && !pollers.anyWaiting()
                          && (budget == null || !budget.isSpent());
        if (!stalled) {
            stalledSince = 0;
            return null;
        }
        long now = System.nanoTime();
        if (stalledSince == 0) {
            stalledSince = now;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(now - stalledSince);
        return now - stalledSince < STALL_NANOS ? null
                : "No long poll for tasks of activity " + key.activityArn() + " has been open for " + seconds
                  + " s, although the route is started and there is room for " + (shape.maxTasks() - inHand.size())
                  + " task(s)";
    }

    // polls

    /** A poll of another worker on the same client came back: a connection may be free for a poll of this one. */
    void connectionFreed() {
        List<Runnable> effects;
        synchronized (this) {
            effects = planPolls();
        }
        run(effects);
    }

    /** The polls that may open now, each marked open: what it sets off runs after the lock. Under the lock. */
    private List<Runnable> planPolls() {
        List<Runnable> polls = new ArrayList<>();
        boolean polling = attached.stream().anyMatch(attachment -> attachment.phase() == Attachment.Phase.RUNNING);
        if (!polling || client == null || journal.needsOpening()) {
            return polls;
        }
        Client using = client;
        int room = shape.maxTasks() - pollers.open() - inHand.size();
        if (room <= 0) {
            return polls;
        }
        for (Pollers.Poller poller : pollers.toOpen(room, () -> using.resources().hold() && takeConnection(using))) {
            counters.countPollOpened();
            polls.add(() -> poll(poller, using));
        }
        return polls;
    }

    /** A connection for a poll, from the client's budget when it is the application's; the hold is let go if none. */
    private boolean takeConnection(Client using) {
        if (budget == null || budget.take(this)) {
            return true;
        }
        using.resources().release();
        return false;
    }

    private void poll(Pollers.Poller poller, Client using) {
        long started = System.nanoTime();
        CompletableFuture<GetActivityTaskResponse> answer;
        try {
            answer = using.polls().send(TaskCall.GET_ACTIVITY_TASK, using.request());
        } catch (Throwable e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((task, error) -> {
            try {
                returned(poller, using, task, error, System.nanoTime() - started);
            } catch (Throwable bug) {
                // a future's callback swallows what it throws: said, so that a task dropped here is never silent
                LOG.error("The reply to a poll for tasks of activity {} ({}) could not be handled: {}",
                        key.activityArn(), task == null || task.taskToken() == null ? "no task"
                                : "task " + TaskTokens.mask(task.taskToken()), bug.toString(), bug);
            }
        });
    }

    private void returned(Pollers.Poller poller, Client using, GetActivityTaskResponse response, Throwable error,
                          long elapsedNanos) {
        List<Runnable> effects = new ArrayList<>();
        List<Runnable> said = new ArrayList<>();
        ActivityTask task = null;
        boolean afterStop = false;
        boolean readTimeout = false;
        synchronized (this) {
            pollers.returned(poller);
            boolean polling = attached.stream().anyMatch(attachment -> attachment.phase() == Attachment.Phase.RUNNING);
            if (error != null) {
                counters.countPollFailed(PollHealth.code(error));
                if (attached.isEmpty()) {
                    // a poll left open by a stop, ended by the client closing: no WARN and no health state
                    afterStop = true;
                } else {
                    readTimeout = cutByTheReadTimeout(error, elapsedNanos);
                    long backoff = poller.backoff().failed();
                    int inARow = poller.backoff().failures();
                    said.add(health.failed(poller, error, inARow));
                    if (!PollHealth.isQuiet(error, inARow)) {
                        pollers.scaler().failed();
                    }
                    waitThen(poller, backoff);
                }
            } else if (response.taskToken() == null) {
                counters.countPollAnswered(true);
                poller.backoff().succeeded();
                said.add(health.succeeded(poller));
                pollers.scaler().cameBackEmpty();
                if (elapsedNanos < QUICK_EMPTY_NANOS && polling) {
                    waitThen(poller, QUICK_EMPTY_PAUSE_MILLIS / 2
                                     + ThreadLocalRandom.current().nextLong(QUICK_EMPTY_PAUSE_MILLIS / 2 + 1));
                }
            } else {
                counters.countPollAnswered(false);
                poller.backoff().succeeded();
                said.add(health.succeeded(poller));
                pollers.scaler().broughtTask();
                // the poll's hold on the client becomes the task's
                task = new ActivityTask(response.taskToken(), response.input(), using.resources());
                inHand.add(task);
                counters.countTaskTaken();
                effects.add(recordedThen(task, handOut(task)));
            }
            if (poller.state() == Pollers.State.IDLE && pollers.isLetGo(poller)) {
                // let go: its latest failure no longer says anything about the polls
                said.add(health.letGo(poller));
            }
            effects.addAll(planPolls());
        }
        if (task != null) {
            workers.track(task, this);
        } else {
            using.resources().release();
        }
        List<ActivityWorker> freed = budget != null ? budget.give() : List.of();
        run(said);
        if (afterStop) {
            LOG.debug("A poll for tasks of activity {} ended after the stop: {}", key.activityArn(),
                    error.getMessage());
        }
        if (readTimeout) {
            LOG.warn("A long poll for tasks of activity {} was cut off by the HTTP client's read timeout after {} s: "
                     + "Step Functions holds a poll up to 60 s and may be handing it a task, which is then lost until "
                     + "its timeout. Give the Step Functions client a read timeout of at least 70 s "
                     + "(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(70)))", key.activityArn(),
                    TimeUnit.NANOSECONDS.toSeconds(elapsedNanos));
        }
        run(effects);
        freed.forEach(ActivityWorker::connectionFreed);
    }

    /**
     * The hand-out of a task a poll brought, its journal record queued first. The exchange does not wait for the record
     * to be durable: the task is in hand from the moment its poll returned, so a worker killed before the batch's fsync
     * loses it whether or not its exchange had started, and one killed after finds it in the journal either way; the
     * removal is queued after the record, never before. Under the lock.
     */
    private Runnable recordedThen(ActivityTask task, Runnable handOut) {
        WorkerJournal recording = journal;
        if (!recording.isOn()) {
            return handOut;
        }
        return () -> {
            recording.add(task.token());
            handOut.run();
        };
    }

    /**
     * Who runs a task a poll brought: a RUNNING route in turn, else one that drains or is suspended, else nobody (it is
     * refused). Under the lock.
     */
    private Runnable handOut(ActivityTask task) {
        Attachment runner = null;
        for (Attachment.Phase wanted : new Attachment.Phase[] {Attachment.Phase.RUNNING, null}) {
            for (int i = 0; i < attached.size() && runner == null; i++) {
                Attachment candidate = attached.get((nextRunner + i) % attached.size());
                if (candidate.takesTasks() && (wanted == null || candidate.phase() == wanted)) {
                    runner = candidate;
                    nextRunner = (nextRunner + i + 1) % attached.size();
                }
            }
        }
        if (runner == null) {
            task.state(ActivityTask.State.REFUSED);
            return () -> refuse(task, Refusals.noRouteRuns(key.workerName()),
                    "a long poll left open by a stop brought it");
        }
        task.state(ActivityTask.State.QUEUED);
        task.attachment(runner);
        Attachment to = runner;
        return () -> handOver(to, task);
    }

    /** Hands the task to the route's threads; when they take no more (stopping, or no thread could be made) it is refused. */
    private void handOver(Attachment runner, ActivityTask task) {
        try {
            runner.threads().execute(() -> runner.consumer().run(task));
        } catch (Throwable refused) {
            synchronized (this) {
                if (task.state() != ActivityTask.State.QUEUED) {
                    return;
                }
                task.state(ActivityTask.State.REFUSED);
            }
            if (!(refused instanceof RejectedExecutionException) || refused.getCause() != null) {
                LOG.error("Activity task {} could not be handed to a thread of route {}: failing it with {}",
                        TaskTokens.mask(task.token()), runner.route(), Refusals.WORKER_STOPPED, refused);
            }
            refuse(task, Refusals.noRouteRuns(key.workerName()), "its route had stopped");
        }
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
    private void waitThen(Pollers.Poller poller, long millis) {
        ScheduledExecutorService scheduler = client != null ? client.resources().scheduler() : null;
        if (scheduler == null) {
            return;
        }
        int waitId = poller.startWaiting();
        try {
            scheduler.schedule(() -> waited(poller, waitId), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is stopping: the next start polls
            poller.idle();
        }
    }

    private void waited(Pollers.Poller poller, int waitId) {
        List<Runnable> effects;
        Runnable said = () -> {
        };
        synchronized (this) {
            if (!poller.isWaiting(waitId)) {
                return;
            }
            poller.idle();
            if (pollers.isLetGo(poller)) {
                // let go while it waited out a failure: its failure no longer says anything about the polls
                said = health.letGo(poller);
            }
            effects = planPolls();
        }
        said.run();
        run(effects);
    }

    /** Runs each effect on its own: one that throws (an Error included) never keeps the next from running. */
    private static void run(List<Runnable> effects) {
        for (Runnable effect : effects) {
            try {
                effect.run();
            } catch (Throwable e) {
                LOG.error("An activity worker's step failed: {}", e.getMessage(), e);
            }
        }
    }
}
