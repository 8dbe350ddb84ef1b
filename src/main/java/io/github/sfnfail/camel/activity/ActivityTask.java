package io.github.sfnfail.camel.activity;

import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;

/**
 * A task in hand: from the poll that brought it until its answer is done. It holds the resources of the endpoint start
 * it was polled with, so that it can be answered whatever stops meanwhile. Its state belongs to the
 * {@link ActivityWorker} and is read and written under the worker's lock only.
 */
final class ActivityTask {

    /** Where a task in hand is; see {@link ActivityWorker} for the transitions. */
    enum State {
        /** Handed to the consumer's threads, not yet in the route. */
        QUEUED,
        /** In the route. */
        RUNNING,
        /** The route is done with it; its answer is on its way. */
        ANSWERING,
        /** Failed with WorkerStopped by a stop that gave up on it while the route still ran it. */
        GIVEN_UP,
        /** Failed with WorkerStopped without running: no consumer could run it when it came. */
        REFUSED
    }

    private final String token;
    private final String input;
    private final CallResources resources;
    /** Guarded by the worker. */
    private State state;
    /** Guarded by the worker: the keeper of its heartbeats, once it runs. */
    private HeartbeatKeeper keeper;
    /** Guarded by the worker: the consumer it was handed to. */
    private SfnActivityConsumer consumer;

    ActivityTask(String token, String input, CallResources resources) {
        this.token = token;
        this.input = input;
        this.resources = resources;
    }

    String token() {
        return token;
    }

    String input() {
        return input;
    }

    /** What the task is answered through: held until the task is done. */
    CallResources resources() {
        return resources;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    HeartbeatKeeper keeper() {
        return keeper;
    }

    void keeper(HeartbeatKeeper running) {
        keeper = running;
    }

    SfnActivityConsumer consumer() {
        return consumer;
    }

    void consumer(SfnActivityConsumer handedTo) {
        consumer = handedTo;
    }
}
