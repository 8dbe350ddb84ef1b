package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The long polls open at once through one Step Functions client from the registry, counted over every worker that
 * uses it: each open poll holds one of its connections for up to 60 s, so together they may hold only as many as leave
 * connections for the answers and heartbeats (a fifth of clientConnections, at least 1, at most 10). A worker that
 * finds the budget spent waits until a poll of any worker comes back, and is then told to plan its polls again.
 */
final class ClientPollBudget {

    private final int connections;
    private final int polls;
    // guarded by this
    private int open;
    private final Set<ActivityWorker> waiting = new LinkedHashSet<>();

    ClientPollBudget(int connections) {
        this.connections = connections;
        this.polls = pollsWithin(connections);
    }

    /** How many polls fit in a client of this many connections, beside those kept for answers and heartbeats. */
    static int pollsWithin(int connections) {
        int keptForAnswers = Math.max(1, Math.min(10, connections / 5));
        return connections - keptForAnswers;
    }

    int connections() {
        return connections;
    }

    /** The polls that may be open at once through the client. */
    int polls() {
        return polls;
    }

    /**
     * A poll of this worker wants to open (under the worker's lock: never calls a worker).
     *
     * @return whether it may; when not, the worker is told once a poll comes back
     */
    synchronized boolean take(ActivityWorker worker) {
        if (open < polls) {
            open++;
            return true;
        }
        waiting.add(worker);
        return false;
    }

    /**
     * A poll came back.
     *
     * @return the workers to tell that a poll may open again, for the caller to tell once it holds no lock
     */
    synchronized List<ActivityWorker> give() {
        open--;
        List<ActivityWorker> wake = new ArrayList<>(waiting);
        waiting.clear();
        return wake;
    }

    /** Whether polls wait for a connection now. */
    synchronized boolean isSpent() {
        return open >= polls;
    }
}
