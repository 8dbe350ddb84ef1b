package io.github.sfnfail.camel.activity;

import java.util.concurrent.ExecutorService;

/**
 * One start of a route's consumer on its worker: the route runs the tasks handed to it on threads of its own, from
 * the consumer's start (or a resume after a forced stop) until its stop. Its phase is the worker's to change, under
 * the worker's lock, as Camel tells the consumer.
 */
final class Attachment {

    enum Phase {
        /** Takes tasks, and its worker polls for it. */
        RUNNING,
        /** A graceful stop or suspension began: no new polls for it, but it still runs what comes. */
        DRAINING,
        /** Suspended: no new polls for it, but it still runs what comes. */
        SUSPENDED
    }

    private final SfnActivityConsumer consumer;
    private final ExecutorService threads;
    private final ActivityWorker.Client client;
    // guarded by the worker
    private Phase phase = Phase.RUNNING;
    /** A graceful stop waited for the tasks in hand and is about to stop the route: no task starts any more. */
    private boolean gated;
    private boolean detached;

    Attachment(SfnActivityConsumer consumer, ExecutorService threads, ActivityWorker.Client client) {
        this.consumer = consumer;
        this.threads = threads;
        this.client = client;
    }

    /** What the start of the route's endpoint polls and answers through. */
    ActivityWorker.Client client() {
        return client;
    }

    SfnActivityConsumer consumer() {
        return consumer;
    }

    SfnActivityEndpoint endpoint() {
        return consumer.getEndpoint();
    }

    /** The route's id, for messages. */
    String route() {
        return consumer.getRouteId() != null ? consumer.getRouteId() : consumer.getEndpoint().getEndpointBaseUri();
    }

    ExecutorService threads() {
        return threads;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase next) {
        phase = next;
    }

    boolean gated() {
        return gated;
    }

    void gated(boolean closed) {
        gated = closed;
    }

    boolean detached() {
        return detached;
    }

    void detach() {
        detached = true;
    }

    /** Whether a task handed to it now may start. */
    boolean takesTasks() {
        return !detached && !gated;
    }
}
