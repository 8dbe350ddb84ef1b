package io.github.sfnfail.camel.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What the application knows of each task it works on, whichever route or scheme touches it: the heartbeat keeper that
 * keeps it alive (one per task), and who must hear that it was answered or found closed (the activity worker that
 * holds it). Kept by task token in a context service, never in an exchange: nothing a route clears, copies or leaves
 * behind in an exchange changes what is known of a task.
 * <p>
 * A keeper that stopped while a heartbeat of its was on its way stays known until that heartbeat came back, so that a
 * closing answer waits for it ({@link #pause}) and is the last call about the task on the wire.
 */
public final class TaskWatch extends ServiceSupport {

    /** Told of what happened to a task, on the thread that learnt it: must not block. */
    public interface Listener {

        /** A closing answer for the task (success or failure) landed, or found it closed. */
        void answered(String token);

        /** A heartbeat found the task closed: its execution stopped or timed out, or someone answered it. */
        void closed(String token);
    }

    private final Map<String, Set<HeartbeatKeeper>> keepers = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private TaskWatch(CamelContext context) {
    }

    /** The watch of the context's tasks. */
    public static TaskWatch of(CamelContext context) {
        return ContextServices.of(context, TaskWatch.class, TaskWatch::new, "the Step Functions task watch");
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    public void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * A keeper wants to keep its task alive.
     *
     * @return false when another keeper keeps the task alive already (a loop around a heartbeat endpoint, the activity
     *         consumer's heartbeatPeriod beside the route's own): one keeper per task
     */
    boolean keep(HeartbeatKeeper keeper) {
        boolean[] kept = new boolean[1];
        keepers.compute(keeper.token(), (token, known) -> {
            Set<HeartbeatKeeper> set = known != null ? known : ConcurrentHashMap.newKeySet();
            if (set.stream().noneMatch(HeartbeatKeeper::isKeeping)) {
                set.add(keeper);
                kept[0] = true;
            }
            return set;
        });
        return kept[0];
    }

    /** The keeper sends no heartbeat any more and has none on its way: it is forgotten. */
    void dropped(HeartbeatKeeper keeper) {
        keepers.computeIfPresent(keeper.token(), (token, set) -> {
            set.remove(keeper);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Before a closing answer about the task: no heartbeat from now on until {@link #resume}; completes once no
     * heartbeat about it is on its way (at once when none is).
     */
    public CompletableFuture<Void> pause(String token) {
        Set<HeartbeatKeeper> set = keepers.get(token);
        if (set == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(set.stream().map(HeartbeatKeeper::pause).toArray(CompletableFuture[]::new));
    }

    /** The closing answer failed and the work goes on: the task's keeper beats again. */
    public void resume(String token) {
        Set<HeartbeatKeeper> set = keepers.get(token);
        if (set != null) {
            set.forEach(HeartbeatKeeper::resume);
        }
    }

    /** No heartbeat about the task any more: its answer is settled. */
    public void stopKeepers(String token) {
        Set<HeartbeatKeeper> set = keepers.get(token);
        if (set != null) {
            List.copyOf(set).forEach(HeartbeatKeeper::stop);
        }
    }

    /** A closing answer for the task landed or found it closed: nobody keeps it alive, and its holder hears it. */
    public void answered(String token) {
        stopKeepers(token);
        listeners.forEach(listener -> listener.answered(token));
    }

    /** A heartbeat found the task closed: nobody keeps it alive, and its holder hears it. */
    public void closed(String token) {
        stopKeepers(token);
        listeners.forEach(listener -> listener.closed(token));
    }

    /** How many tasks a keeper keeps alive now. */
    public int tasksKeptAlive() {
        return (int) keepers.values().stream().filter(set -> set.stream().anyMatch(HeartbeatKeeper::isKeeping)).count();
    }

    @Override
    protected void doStop() {
        keepers.values().forEach(set -> List.copyOf(set).forEach(HeartbeatKeeper::stop));
    }
}
