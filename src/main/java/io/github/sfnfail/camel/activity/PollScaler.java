package io.github.sfnfail.camel.activity;

/**
 * How many long polls a worker wants open now, between concurrentPollers and maxConcurrentPollers, decided from what
 * its polls bring back: one more each time a poll brings a task (so a burst is met within a few round trips, the
 * number of polls about doubling with each), one fewer each time a poll comes back empty (the poll that came back is
 * the one let go: nothing open is ever cut), and half as many after a failed or throttled poll, so that a worker backs
 * off at once when the service, shared by every worker of the activity, pushes back. Written under the worker's lock;
 * the figure it publishes is read by JMX, the dev console and the health check without it.
 */
final class PollScaler {

    private final int fewest;
    private final int most;
    private volatile int wanted;

    PollScaler(int fewest, int most) {
        this.fewest = fewest;
        this.most = most;
        this.wanted = fewest;
    }

    /** The polls wanted open now. */
    int wanted() {
        return wanted;
    }

    int fewest() {
        return fewest;
    }

    int most() {
        return most;
    }

    void broughtTask() {
        if (wanted < most) {
            wanted++;
        }
    }

    void cameBackEmpty() {
        if (wanted > fewest) {
            wanted--;
        }
    }

    void failed() {
        wanted = Math.max(fewest, wanted / 2);
    }
}
