package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A worker's long polls: each poller has one poll open at a time, and {@link PollScaler} says how many are wanted.
 * Read and written under the worker's lock only.
 *
 * <pre>
 * IDLE    --poll sent--&gt;     OPEN
 * OPEN    --poll back--&gt;     IDLE, or WAITING (after a failed poll: its own backoff; after an empty answer much
 *                            quicker than a long poll: about a second, so it never spins)
 * WAITING --its timer--&gt;     IDLE           (only the timer of its latest wait)
 * </pre>
 * An IDLE poller polls when the worker polls, it is among the pollers wanted now, an open poll fits beside the tasks in
 * hand within the limit of tasks ({@code open polls + tasks in hand <= limit}: no task is ever taken that could not
 * start at once), and a client from the registry has a connection to spare for it. A poll left open by a stop stays its
 * poller's: a restart, a reload or another route on the same activity counts it as one of its polls.
 */
final class Pollers {

    enum State {
        IDLE, OPEN, WAITING
    }

    /** One long poll at a time. */
    static final class Poller {
        private final int index;
        private final PollBackoff backoff = new PollBackoff();
        private State state = State.IDLE;
        /** Tells the timer of the latest wait from those of earlier ones. */
        private int waitId;

        private Poller(int index) {
            this.index = index;
        }

        int index() {
            return index;
        }

        PollBackoff backoff() {
            return backoff;
        }

        State state() {
            return state;
        }

        boolean isWaiting(int id) {
            return state == State.WAITING && waitId == id;
        }

        /** Waits: returns the id of this wait. */
        int startWaiting() {
            state = State.WAITING;
            return ++waitId;
        }

        void idle() {
            state = State.IDLE;
        }
    }

    private final List<Poller> all = new ArrayList<>();
    private PollScaler scaler;
    private int open;

    Pollers(int fewest, int most) {
        reshape(fewest, most);
    }

    /** A new number of polls (a reload with other options): polls open beyond the new most are let go once back. */
    void reshape(int fewest, int most) {
        scaler = new PollScaler(fewest, most);
        while (all.size() < most) {
            all.add(new Poller(all.size()));
        }
    }

    PollScaler scaler() {
        return scaler;
    }

    int open() {
        return open;
    }

    int wanted() {
        return scaler.wanted();
    }

    int most() {
        return scaler.most();
    }

    /** The polls the worker opens, in words: "2" or, when they follow the work, "2 to 8". */
    String range() {
        int fewest = scaler.fewest();
        return fewest == scaler.most() ? String.valueOf(fewest) : fewest + " to " + scaler.most();
    }

    /** Whether a poller waits out a failure or a quick empty answer: polls open again by themselves. */
    boolean anyWaiting() {
        return all.stream().anyMatch(poller -> poller.state == State.WAITING);
    }

    /**
     * The pollers to open now, each marked open: the wanted ones that are IDLE, while there is room for their tasks and
     * a connection for each.
     *
     * @param room       how many more polls fit beside the tasks in hand
     * @param connection takes a connection of the client for one poll, false when none is left
     */
    List<Poller> toOpen(int room, BooleanSupplier connection) {
        List<Poller> opening = new ArrayList<>();
        int wanted = Math.min(scaler.wanted(), all.size());
        for (int i = 0; i < wanted && opening.size() < room; i++) {
            Poller poller = all.get(i);
            if (poller.state != State.IDLE) {
                continue;
            }
            if (!connection.getAsBoolean()) {
                break;
            }
            poller.state = State.OPEN;
            open++;
            opening.add(poller);
        }
        return opening;
    }

    /** A poll came back (or could not be sent). */
    void returned(Poller poller) {
        poller.state = State.IDLE;
        open--;
    }

    /** Whether the poller is no longer among those wanted: its latest failure says nothing about the polls any more. */
    boolean isLetGo(Poller poller) {
        return poller.index >= scaler.wanted();
    }
}
