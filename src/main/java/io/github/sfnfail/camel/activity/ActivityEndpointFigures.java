package io.github.sfnfail.camel.activity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.sfnfail.camel.SfnTaskEndpoint;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.MeterFigure;
import org.apache.camel.Component;
import org.apache.camel.api.management.ManagedAttribute;

/**
 * What operators see of an activity endpoint's worker beside its answers: its JMX attributes, its figures in the dev
 * console and its Micrometer meters, all read from the worker's counters (one worker per activity: endpoints on the same
 * activity show the same figures).
 */
abstract class ActivityEndpointFigures extends SfnTaskEndpoint {

    protected ActivityEndpointFigures(String uri, Component component) {
        super(uri, component, null);
    }

    /** What the polls and tasks of the endpoint's worker did. */
    public abstract ActivityCounters getActivityCounters();

    /** The long polls the worker wants open now. */
    abstract long pollersWanted();

    /** The most tasks in hand at once, open polls included. */
    abstract long taskLimit();

    /** Tasks the worker recorded in its task journal. */
    abstract long tasksJournaled();

    /** Times the worker's task journal could not write. */
    abstract long journalErrors();

    @Override
    public Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("pollersWanted", getPollersWanted());
        activity.put("taskLimit", getTaskLimit());
        activity.putAll(getActivityCounters().asMap());
        activity.put("tasksJournaled", getTasksJournaled());
        activity.put("journalErrors", getJournalErrors());
        figures.put("activity", activity);
        figures.put("answers", super.figures());
        return figures;
    }

    @Override
    protected List<MeterFigure> meterFigures() {
        return List.of(
                new MeterFigure("pollers", "Long polls the consumer wants open now", false, this::getPollersWanted),
                new MeterFigure("polls.open", "Long polls open now", false, this::getPollsOpen),
                new MeterFigure("polls.empty", "Polls that came back without a task", true, this::getEmptyPolls),
                new MeterFigure("tasks.taken", "Tasks the polls brought", true, this::getTasksTaken),
                new MeterFigure("tasks.in.hand", "Tasks taken and not answered yet", false, this::getTasksInHand),
                new MeterFigure("tasks.limit", "Tasks in hand at most, open polls included", false,
                        this::getTaskLimit),
                new MeterFigure("tasks.succeeded", "Tasks answered with SendTaskSuccess", true, this::getTasksSucceeded),
                new MeterFigure("tasks.failed", "Tasks answered with SendTaskFailure", true, this::getTasksFailed),
                new MeterFigure("tasks.answered.by.route", "Tasks the route answered itself", true,
                        this::getTasksAnsweredByRoute),
                new MeterFigure("answers.lost", "Answers that failed for good", true, this::getAnswersLost),
                new MeterFigure("heartbeats", "Heartbeats sent while tasks ran", true, this::getHeartbeats),
                new MeterFigure("tasks.closed.by.service", "Tasks found closed (stopped, timed out)", true,
                        this::getTasksClosedByService),
                new MeterFigure("tasks.journaled", "Tasks recorded in the task journal", true, this::getTasksJournaled),
                new MeterFigure("tasks.failed.as.lost", "Tasks a worker that ended abruptly left in the journal, failed "
                                                        + "with WorkerLost", true, this::getTasksFailedAsLost),
                new MeterFigure("journal.errors", "Times the task journal could not write", true,
                        this::getJournalErrors));
    }

    @ManagedAttribute(description = "Long polls the consumer wants open now, between concurrentPollers and "
                                    + "maxConcurrentPollers")
    public long getPollersWanted() {
        return pollersWanted();
    }

    @ManagedAttribute(description = "Tasks in hand at most, open polls included (maxConcurrentTasks)")
    public long getTaskLimit() {
        return taskLimit();
    }

    @ManagedAttribute(description = "Long polls open now")
    public long getPollsOpen() {
        return getActivityCounters().pollsOpen();
    }

    @ManagedAttribute(description = "Polls that came back without a task")
    public long getEmptyPolls() {
        return getActivityCounters().emptyPolls();
    }

    @ManagedAttribute(description = "Tasks the polls brought")
    public long getTasksTaken() {
        return getActivityCounters().tasksTaken();
    }

    @ManagedAttribute(description = "Tasks taken and not answered yet")
    public long getTasksInHand() {
        return getActivityCounters().tasksInHand();
    }

    @ManagedAttribute(description = "Tasks answered with SendTaskSuccess")
    public long getTasksSucceeded() {
        return getActivityCounters().succeeded();
    }

    @ManagedAttribute(description = "Tasks answered with SendTaskFailure")
    public long getTasksFailed() {
        return getActivityCounters().failed();
    }

    @ManagedAttribute(description = "Tasks the route answered itself")
    public long getTasksAnsweredByRoute() {
        return getActivityCounters().answeredByRoute();
    }

    @ManagedAttribute(description = "Answers that failed for good: their executions wait for a heartbeat or timeout")
    public long getAnswersLost() {
        return getActivityCounters().answersLost();
    }

    @ManagedAttribute(description = "Heartbeats sent while tasks ran")
    public long getHeartbeats() {
        return getActivityCounters().heartbeats();
    }

    @ManagedAttribute(description = "Tasks found closed by the service (stopped, timed out)")
    public long getTasksClosedByService() {
        return getActivityCounters().closedByService();
    }

    @ManagedAttribute(description = "Tasks recorded in the task journal (journalDirectory or taskJournal)")
    public long getTasksJournaled() {
        return tasksJournaled();
    }

    @ManagedAttribute(description = "Tasks a worker that ended abruptly left in the task journal, failed with WorkerLost")
    public long getTasksFailedAsLost() {
        return getActivityCounters().lostFailed();
    }

    @ManagedAttribute(description = "Times the task journal could not write (its tasks ran and were answered)")
    public long getJournalErrors() {
        return journalErrors();
    }

    @ManagedAttribute(description = "Polls that failed, by AWS error code")
    public String getPollErrorsByCode() {
        return getActivityCounters().pollErrors().toString();
    }
}
