package io.github.sfnfail.camel.journal;

/**
 * Where an activity worker records the tasks it holds, so that the tasks of a worker that ended abruptly are handed to
 * a live one to fail at once.
 *
 * <p>Two implementations: {@link FileTaskJournal} (one worker, a directory on a disk that outlives the process) and
 * {@link JdbcTaskJournal} (a fleet sharing a database: each worker holds a lease, and a live worker claims the tasks of
 * one whose lease lapsed). A user binds one as a bean and names it on the consumer ({@code taskJournal=#myJournal}).
 * One journal may serve many activities and worker names; each {@link #open} makes a session for one worker identity.
 */
public interface TaskJournal {

    /**
     * Opens the journal for one worker identity: an activity and a worker name.
     *
     * <p>Before this returns, {@code handler} is given the tasks this identity left behind (a worker of this name and
     * activity that ended abruptly), if any. The JDBC journal also hands it, later and from its lease thread, the tasks
     * of a lapsed worker of the same activity that this session claimed.
     *
     * @param activityArn the activity's ARN
     * @param workerName the worker's name (as sent with GetActivityTask)
     * @param handler what fails the tasks left behind
     * @return the open session; close it when the worker stops
     * @throws JournalException when another live worker holds the same identity (the message names the directory or
     *         table, the activity, the worker name and the fix), or the journal cannot be used at all
     */
    JournalSession open(String activityArn, String workerName, LostTaskHandler handler) throws JournalException;
}
