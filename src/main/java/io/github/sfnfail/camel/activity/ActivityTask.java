package io.github.sfnfail.camel.activity;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;

/**
 * A task in hand, from the poll that brought it until its slot is free: the whole of what its worker knows of it. Its
 * state and the facts below belong to the {@link ActivityWorker} and are read and written under the worker's lock,
 * except the facts the {@link ErrorHandlerWatch} and the {@link io.github.sfnfail.camel.engine.TaskWatch} record as they
 * happen (volatile, written once or only added to). Nothing of it lives in the task's exchange, so nothing a route
 * clears or leaves behind there decides its answer.
 *
 * <pre>
 * QUEUED    --route starts it--&gt;   RUNNING  --route done--&gt; ANSWERING --answer done--&gt; (slot free)
 *                                            --route done, autoAnswer=false, unanswered--&gt; LEFT_TO_ROUTE
 *                                                           --its answer lands anywhere in the application, or a
 *                                                             heartbeat finds it closed--&gt; (slot free)
 * QUEUED    --nobody may run it--&gt;  REFUSED  (failed with WorkerStopped) --answer done--&gt; (slot free)
 * RUNNING, LEFT_TO_ROUTE --forced stop--&gt; GIVEN_UP (failed with WorkerStopped) --answer done and route ended--&gt;
 *                                            (slot free; one INFO line says how the route ended)
 * (a task the journal says a worker left behind) REFUSED (failed with WorkerLost) --answer done--&gt; (slot free)
 * </pre>
 * With a task journal, a task is in the journal from before it is handed to a route until its slot is free, and is
 * taken out then if it is {@link #settled()}: an answer that could not be sent leaves it there, for the next start to
 * fail it as lost.
 */
final class ActivityTask {

    /** Where a task in hand is; see the class comment for the transitions. */
    enum State {
        /** Handed to a route's threads, not yet in the route. */
        QUEUED,
        /** In the route. */
        RUNNING,
        /** The route is done with it; its answer is on its way. */
        ANSWERING,
        /** The route is done with it, did not answer it, and answers are left to the routes (autoAnswer=false). */
        LEFT_TO_ROUTE,
        /** Failed with WorkerStopped by a stop that gave up on it while the route still ran it. */
        GIVEN_UP,
        /** Failed with WorkerStopped without running. */
        REFUSED
    }

    private final String token;
    private final String input;
    private final CallResources resources;
    private final long takenNanos = System.nanoTime();
    /** Completes when the route is done with the task (or never ran it). */
    private final CompletableFuture<Void> routeDone = new CompletableFuture<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final boolean leftBehind;

    // guarded by the worker
    private State state;
    private Attachment attachment;
    private HeartbeatKeeper keeper;
    private String exchangeId;
    private long givenUpNanos;
    private boolean answerDone;

    // recorded as it happens
    private volatile boolean answeredByRoute;
    private volatile boolean closed;
    private volatile boolean settled;
    private volatile Throwable handledFailure;
    private final Set<Throwable> redelivered = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    ActivityTask(String token, String input, CallResources resources) {
        this(token, input, resources, false);
    }

    private ActivityTask(String token, String input, CallResources resources, boolean leftBehind) {
        this.token = token;
        this.input = input;
        this.resources = resources;
        this.leftBehind = leftBehind;
    }

    /** A task the journal says a worker that ended abruptly had in hand: it is failed with WorkerLost, not run. */
    static ActivityTask leftBehind(String token, CallResources resources) {
        return new ActivityTask(token, null, resources, true);
    }

    /** Whether this is a task a worker that ended abruptly left behind. */
    boolean isLeftBehind() {
        return leftBehind;
    }

    String token() {
        return token;
    }

    String input() {
        return input;
    }

    /** What the task is answered and kept alive through: held until its answer is done. */
    CallResources resources() {
        return resources;
    }

    /** Lets go of the resources, once: the task's answer is done. */
    void releaseResources() {
        if (released.compareAndSet(false, true)) {
            resources.release();
        }
    }

    long takenNanos() {
        return takenNanos;
    }

    CompletableFuture<Void> routeDone() {
        return routeDone;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    /** The route start that runs it, or was handed it. */
    Attachment attachment() {
        return attachment;
    }

    void attachment(Attachment runner) {
        attachment = runner;
    }

    HeartbeatKeeper keeper() {
        return keeper;
    }

    void keeper(HeartbeatKeeper running) {
        keeper = running;
    }

    String exchangeId() {
        return exchangeId;
    }

    void exchangeId(String id) {
        exchangeId = id;
    }

    long givenUpNanos() {
        return givenUpNanos;
    }

    void givenUp() {
        givenUpNanos = System.nanoTime();
    }

    boolean answerDone() {
        return answerDone;
    }

    void answerDone(boolean done) {
        answerDone = done;
    }

    /** A route answered the task itself (aws-sfn-success or aws-sfn-fail with its token landed, or found it closed). */
    boolean answeredByRoute() {
        return answeredByRoute;
    }

    void answeredByRoute(boolean answered) {
        answeredByRoute = answered;
    }

    /** A heartbeat found the task closed: nobody waits for its answer. */
    boolean closed() {
        return closed;
    }

    void closed(boolean found) {
        closed = found;
    }

    /**
     * Whether nobody needs to answer the task any more: an answer to it landed (from the worker or a route), it was found
     * closed, or Step Functions refused its answer for good. A task in hand whose answer could not be sent is not.
     */
    boolean settled() {
        return settled || answeredByRoute || closed;
    }

    void settled(boolean done) {
        settled = done;
    }

    /** The exception an error handler or a doCatch handled while the route ran the task, the latest; null for none. */
    Throwable handledFailure() {
        return handledFailure;
    }

    void handledFailure(Throwable handled) {
        handledFailure = handled;
    }

    /** Whether the error handler delivered the task's exchange again after this exception. */
    boolean wasRedeliveredAfter(Throwable failure) {
        return redelivered.contains(failure);
    }

    void redeliveredAfter(Throwable failure) {
        redelivered.add(failure);
    }
}
