package io.github.sfnfail.camel.activity;

import java.util.ArrayList;
import java.util.List;

/**
 * The long polls of one activity endpoint, kept across restarts of the route: Camel makes a new consumer when a stopped
 * route starts again, while a poll left open by the stop may still bring a task. Such a poll stays its poller's, the
 * poller works for whichever consumer the route has now, and a restart polls again only with the pollers that have
 * none open, so that an activity never has more polls open than pollers.
 */
final class ActivityPollers {

    private final List<ActivityPoller> pollers = new ArrayList<>();
    private final PollHealth health;
    private volatile SfnActivityConsumer consumer;

    ActivityPollers(SfnActivityEndpoint endpoint, int count) {
        this.health = new PollHealth(endpoint.getActivityArn(), endpoint.whereCallsGo(), count);
        for (int i = 0; i < count; i++) {
            pollers.add(new ActivityPoller(this, endpoint, health));
        }
    }

    /** From now on the pollers hand their tasks to this consumer; each that has no poll open polls now. */
    void workFor(SfnActivityConsumer started) {
        consumer = started;
        pollers.forEach(ActivityPoller::poll);
    }

    /** The consumer the tasks go to: the latest started, which may have stopped since. */
    SfnActivityConsumer consumer() {
        return consumer;
    }

    int size() {
        return pollers.size();
    }

    PollHealth health() {
        return health;
    }
}
