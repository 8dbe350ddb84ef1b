package io.github.sfnfail.camel.activity;

import java.time.Duration;

import io.github.sfnfail.camel.SfnTaskConfiguration;
import io.github.sfnfail.camel.engine.ThrottlePacer;
import io.github.sfnfail.camel.journal.TaskJournal;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code aws-sfn-activity}: how many long polls, the worker's name, heartbeats and automatic answers,
 * beside the options every scheme shares (the client, retries and pacing of the answers).
 */
@UriParams
public class SfnActivityConfiguration extends SfnTaskConfiguration {

    /** Above the service's 60 s hold of a long poll (the API asks clients to allow at least 65 s). */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(70);
    /** The connection pool of the SDK's HTTP clients, Netty's and Apache's alike, unless set otherwise. */
    static final int DEFAULT_CLIENT_CONNECTIONS = 50;

    @UriParam(label = "consumer", defaultValue = "1")
    private int concurrentPollers = 1;
    @UriParam(label = "consumer")
    private Integer maxConcurrentPollers;
    @UriParam(label = "consumer")
    private Integer maxConcurrentTasks;
    @UriParam(label = "consumer")
    private String workerName;
    @UriParam(label = "consumer", javaType = "java.time.Duration")
    private long heartbeatPeriod;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean autoAnswer = true;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean failOnCaughtException = true;
    @UriParam(label = "consumer,advanced", defaultValue = "50")
    private int clientConnections = DEFAULT_CLIENT_CONNECTIONS;
    @UriParam(label = "consumer,journal")
    private String journalDirectory;
    @UriParam(label = "consumer,journal")
    private TaskJournal taskJournal;

    public int getConcurrentPollers() {
        return concurrentPollers;
    }

    /**
     * How many long polls (GetActivityTask) the consumer keeps open at once while it has room for their tasks: the
     * fewest it polls with when maxConcurrentPollers lets it scale. Open polls hold no thread, so 100 (what AWS
     * recommends for production workers) is cheap with the client the component builds, which has a connection for
     * each poll besides 50 for answers. A client from the registry has only the connections it was built with (see
     * clientConnections): there the consumer opens at most as many polls as leave connections for the answers, and
     * says so at start. Step Functions allows 1000 pollers per activity, counted over every worker.
     */
    public void setConcurrentPollers(int concurrentPollers) {
        this.concurrentPollers = concurrentPollers;
    }

    public Integer getMaxConcurrentPollers() {
        return maxConcurrentPollers;
    }

    /**
     * The most long polls the consumer opens at once when polls keep bringing tasks: it starts with concurrentPollers,
     * opens one more poll each time a poll comes back with a task, and lets one go each time a poll comes back empty
     * (after waiting out its long poll, never cutting it: a cut poll can lose its task), never below concurrentPollers.
     * A failed or throttled poll halves the polls it keeps open, so that one worker's burst does not become its fleet's
     * throttling of GetActivityTask. When not set, as many as concurrentPollers: no scaling.
     */
    public void setMaxConcurrentPollers(Integer maxConcurrentPollers) {
        this.maxConcurrentPollers = maxConcurrentPollers;
    }

    public Integer getMaxConcurrentTasks() {
        return maxConcurrentTasks;
    }

    /**
     * How many tasks the consumer runs at once. A poll whose task went to the route is opened again at once while
     * fewer tasks are in hand, and no more polls are open than there is room for their tasks (open polls plus tasks in
     * hand never exceed it), so no task is taken that the route cannot start at once (a task left waiting burns its
     * timeout). Each task in hand holds a thread of the consumer's only while the route runs on it: with an
     * asynchronous route (a delay with asyncDelayed, an asynchronous HTTP call) a thousand tasks need a handful of
     * threads, with a blocking step one thread per task in that step. When not set, as many as maxConcurrentPollers
     * (or concurrentPollers): each poller takes its next task once the one before is answered.
     */
    public void setMaxConcurrentTasks(Integer maxConcurrentTasks) {
        this.maxConcurrentTasks = maxConcurrentTasks;
    }

    /** The most polls the consumer may open: maxConcurrentPollers, else concurrentPollers. */
    int pollersAtMost() {
        return maxConcurrentPollers != null ? maxConcurrentPollers : concurrentPollers;
    }

    /** The most tasks in hand, open polls included: maxConcurrentTasks, else one per poller. */
    int tasksAtMost() {
        return maxConcurrentTasks != null ? maxConcurrentTasks : pollersAtMost();
    }

    public String getWorkerName() {
        return workerName;
    }

    /**
     * The worker name Step Functions records in the execution history for each task this consumer takes (at most 80
     * characters). Defaults to the host name.
     */
    public void setWorkerName(String workerName) {
        this.workerName = workerName;
    }

    public long getHeartbeatPeriod() {
        return heartbeatPeriod;
    }

    /**
     * While a task's exchange runs, send SendTaskHeartbeat every period (for example 20s), holding no thread; choose
     * it well under the task's HeartbeatSeconds. A plain number is milliseconds, and one under a second is refused as
     * a likely mistake (write 20s, or 500ms). A heartbeat answered TaskTimedOut (the execution was
     * stopped or timed out) stops them: no final answer is sent, an INFO line says so, and the exchange property
     * CamelAwsSfnTaskClosed tells the route to give up early. When not set (0), no heartbeats are sent.
     */
    public void setHeartbeatPeriod(long heartbeatPeriod) {
        this.heartbeatPeriod = heartbeatPeriod;
    }

    public boolean isAutoAnswer() {
        return autoAnswer;
    }

    /**
     * Whether the consumer answers each task when its exchange completes: SendTaskSuccess with the message body as
     * output (by the rules of aws-sfn-success) when it completed, SendTaskFailure with error and cause from the headers
     * or derived from the exception (by the rules of aws-sfn-fail) when it failed. A task the route answered itself with
     * aws-sfn-success or aws-sfn-fail is not answered again. Set to false for routes that always answer themselves.
     */
    public void setAutoAnswer(boolean autoAnswer) {
        this.autoAnswer = autoAnswer;
    }

    public boolean isFailOnCaughtException() {
        return failOnCaughtException;
    }

    /**
     * Whether a task fails when the route caught an exception: an onException with handled(true) or continued(true),
     * or a doCatch, takes the exception off the exchange, yet the work did not succeed. The task is then answered with
     * SendTaskFailure, error and cause from the headers or derived from the caught exception, unless the route answered
     * the task itself. Set to false to answer SendTaskSuccess with the body whatever the route caught.
     */
    public void setFailOnCaughtException(boolean failOnCaughtException) {
        this.failOnCaughtException = failOnCaughtException;
    }

    public int getClientConnections() {
        return clientConnections;
    }

    /**
     * How many connections the Step Functions client from the registry (awsSfnAsyncClient or awsSfnClient) has: its
     * HTTP client's maxConcurrency (Netty) or maxConnections (Apache), 50 unless it was built with another. Each open
     * poll holds one for up to 60 s, so the consumer opens at most this many less a fifth (at most 10) kept for answers
     * and heartbeats, and warns at start when that is fewer than concurrentPollers. Not used with the client the
     * component builds, which has a connection for every poll besides 50 for answers.
     */
    public void setClientConnections(int clientConnections) {
        this.clientConnections = clientConnections;
    }

    public String getJournalDirectory() {
        return journalDirectory;
    }

    /**
     * A directory on a disk that outlives the worker's process where the consumer records each task it holds (a file
     * journal): a task is recorded there as its poll brings it, before its exchange starts (made durable in batches, one
     * fsync per batch), and taken out once its answer lands or it is found closed. When a worker ends abruptly (SIGKILL, an OOM kill, a crash), the next worker started with the
     * same directory, activity and workerName fails every task it had in hand at once, before its first poll, with
     * AwsSfnActivity.WorkerLost, for the state machine's Retry to hand them on in seconds instead of after their
     * HeartbeatSeconds or TimeoutSeconds. The files hold task tokens (credentials) and are readable by their owner only.
     * One live worker per directory, activity and workerName: a second is refused at start. Give workerName a value that
     * survives a restart (the default, the host name, changes with each pod of a Deployment). Not set: no journal.
     */
    public void setJournalDirectory(String journalDirectory) {
        this.journalDirectory = journalDirectory;
        markSet("journalDirectory");
    }

    /**
     * A taskJournal given to the endpoint or its component wins over a journalDirectory that came from the shared
     * camel.component.aws-sfn.* (a fleet's JDBC journal beside a directory set for the rest): the directory is let go.
     *
     * @return whether a shared directory was let go
     */
    boolean letSharedJournalDirectoryYield() {
        if (taskJournal == null || journalDirectory == null || !isFromSharedOptions("journalDirectory")) {
            return false;
        }
        journalDirectory = null;
        return true;
    }

    public TaskJournal getTaskJournal() {
        return taskJournal;
    }

    /**
     * The task journal to record each task in, as a bean (taskJournal=#myJournal): a JdbcTaskJournal over a DataSource
     * for a fleet of workers sharing a database, in which a live worker fails the tasks of one whose lease lapsed, or
     * any TaskJournal of your own. Instead of journalDirectory, with the same promise: tasks a worker had in hand when it
     * ended abruptly are failed with AwsSfnActivity.WorkerLost.
     */
    public void setTaskJournal(TaskJournal taskJournal) {
        this.taskJournal = taskJournal;
    }

    @Override
    public Duration minimumReadTimeout() {
        return POLL_TIMEOUT;
    }

    /** A connection per open poll, beside those the answers use. */
    @Override
    public int minimumConnections() {
        return Math.min(pollersAtMost(), tasksAtMost()) + ThrottlePacer.MAX_IN_FLIGHT;
    }

    @Override
    public SfnActivityConfiguration copy() {
        return (SfnActivityConfiguration) super.copy();
    }
}
