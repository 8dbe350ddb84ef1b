package io.github.sfnfail.camel.activity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.ActivityCounters;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;

/**
 * Work for an AWS Step Functions activity: long polls (GetActivityTask) hand each task to the route, which is answered
 * when its exchange completes (SendTaskSuccess with the body, SendTaskFailure with the exception), heartbeating while it
 * runs; no task is ever taken that the route cannot start, and none is dropped when the route stops.
 */
// The polls and tasks are those of the activity's one worker in the Camel context (ActivityWorker): each start of the
// endpoint lends it a client, and its route's consumer attaches to it.
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-activity", title = "AWS Step Functions Activity",
             syntax = "aws-sfn-activity:activityArn", consumerOnly = true,
             category = { Category.CLOUD, Category.SERVERLESS }, headersClass = SfnConstants.class)
public class SfnActivityEndpoint extends ActivityEndpointFigures {

    private static final Logger LOG = LoggerFactory.getLogger(SfnActivityEndpoint.class);

    static final int MAX_POLLERS = 1000;
    static final int MAX_WORKER_NAME = 80;
    static final int MAX_ARN = 256;
    /** arn:partition:states:region:account:activity:name; an emulator's region or account may be anything. */
    private static final Pattern ACTIVITY_ARN = Pattern.compile(
            "arn:[^:\\s]+:states:[^:\\s]*:[^:\\s]*:activity:[^:\\s]+");

    @UriPath
    @Metadata(required = true)
    private String activityArn;
    @UriParam
    private SfnActivityConfiguration configuration;

    /** The worker of the latest start; its counters before any start. */
    private volatile ActivityWorker worker;
    private final ActivityCounters noCounters = new ActivityCounters();
    /** What the long polls of this start of the endpoint go through: unpaced, on threads of their own for a sync client. */
    private volatile TaskCalls pollCalls;

    public SfnActivityEndpoint(String uri, SfnActivityComponent component, SfnActivityConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("aws-sfn-activity is a consumer: answer a task from a route with "
                                                + "aws-sfn-success, aws-sfn-fail or aws-sfn-heartbeat");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SfnActivityConsumer consumer = new SfnActivityConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void checkOptions() {
        if (activityArn == null || activityArn.isBlank() || activityArn.length() > MAX_ARN) {
            throw new IllegalArgumentException("The activity ARN must be 1 to " + MAX_ARN + " characters, not "
                                               + (activityArn == null ? "missing" : activityArn.length()));
        }
        if (!ACTIVITY_ARN.matcher(activityArn).matches()) {
            throw new IllegalArgumentException("The activity ARN (activityArn, the path of aws-sfn-activity:) must be an "
                                               + "activity's ARN such as "
                                               + "arn:aws:states:eu-west-1:123456789012:activity:reserve-stock, not '"
                                               + activityArn + "'" + (activityArn.equals("null")
                                                       ? ": 'null' is what a property or variable that was never set "
                                                         + "becomes" : ""));
        }
        matchRegionToArn();
        int pollers = configuration.getConcurrentPollers();
        if (pollers < 1 || pollers > MAX_POLLERS) {
            throw new IllegalArgumentException("concurrentPollers must be 1 to " + MAX_POLLERS + " (Step Functions "
                                               + "refuses more pollers per activity), not " + pollers);
        }
        Integer maxPollers = configuration.getMaxConcurrentPollers();
        if (maxPollers != null && (maxPollers < pollers || maxPollers > MAX_POLLERS)) {
            throw new IllegalArgumentException("maxConcurrentPollers must be at least concurrentPollers (" + pollers
                                               + ") and at most " + MAX_POLLERS + " (Step Functions refuses more "
                                               + "pollers per activity), not " + maxPollers);
        }
        Integer maxTasks = configuration.getMaxConcurrentTasks();
        if (maxTasks != null && maxTasks < configuration.pollersAtMost()) {
            throw new IllegalArgumentException("maxConcurrentTasks must be at least "
                                               + (maxPollers != null ? "maxConcurrentPollers (" + maxPollers + ")"
                                                       : "concurrentPollers (" + pollers + ")")
                                               + ", not " + maxTasks + ": each open poll may bring a task, and no task "
                                               + "is taken that cannot start at once");
        }
        if (workerName().isEmpty() || workerName().length() > MAX_WORKER_NAME) {
            throw new IllegalArgumentException("workerName must be 1 to " + MAX_WORKER_NAME + " characters, not "
                                               + workerName().length());
        }
        if (configuration.getClientConnections() < 2) {
            throw new IllegalArgumentException("clientConnections must be at least 2 (a poll and an answer), not "
                                               + configuration.getClientConnections());
        }
        if (configuration.getHeartbeatPeriod() < 0) {
            throw new IllegalArgumentException("heartbeatPeriod must not be negative, not "
                                               + configuration.getHeartbeatPeriod());
        }
        if (configuration.getJournalDirectory() != null && configuration.getJournalDirectory().isBlank()) {
            throw new IllegalArgumentException("journalDirectory must name a directory, not an empty text");
        }
        if (configuration.letSharedJournalDirectoryYield()) {
            LOG.debug("Endpoint {} has a taskJournal: the journalDirectory of camel.component.aws-sfn.* does not apply",
                    getEndpointBaseUri());
        }
        if (configuration.getJournalDirectory() != null && configuration.getTaskJournal() != null) {
            throw new IllegalArgumentException("Set journalDirectory (a file journal) or taskJournal (a journal bean), "
                                               + "not both: journalDirectory=" + configuration.getJournalDirectory()
                                               + ", taskJournal=" + configuration.getTaskJournal());
        }
    }

    @Override
    protected void addSchemeResources(TaskCalls client, List<AutoCloseable> closers) {
        SfnClient syncClient = configuration.getAwsSfnAsyncClient() == null ? configuration.getAwsSfnClient() : null;
        if (syncClient == null) {
            pollCalls = client;
            return;
        }
        // each poll holds a thread for up to 60 s: threads of their own, never those the answers need
        ExecutorService pollThreads = WorkerThreads.newPool(getCamelContext(), this, "AwsSfnActivityPoll",
                pollerCount());
        pollCalls = TaskCalls.of(syncClient, pollThreads);
        closers.add(() -> getCamelContext().getExecutorServiceManager().shutdown(pollThreads));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Object registryClient = configuration.getAwsSfnAsyncClient() != null ? configuration.getAwsSfnAsyncClient()
                : configuration.getAwsSfnClient();
        ActivityWorker using = workers().workerFor(key(), shape(), whereCallsGo(), registryClient);
        using.endpointStarted();
        worker = using;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        ActivityWorker stopped = worker;
        if (stopped != null) {
            stopped.endpointStopped();
        }
    }

    @Override
    protected String workUnderWay(int holders) {
        ActivityWorker current = worker;
        if (current == null) {
            return super.workUnderWay(holders);
        }
        return current.pollsOpen() + " long poll(s) of the activity still open (Step Functions may still hand them a "
               + "task) and " + current.tasksInHand() + " task(s) in hand";
    }

    /** The activity workers of the context. */
    ActivityWorkers workers() {
        return ActivityWorkers.of(getCamelContext());
    }

    /** What makes this endpoint's worker one: the activity, the worker name, the client. */
    WorkerKey key() {
        Object client = configuration.getAwsSfnAsyncClient() != null ? configuration.getAwsSfnAsyncClient()
                : configuration.getAwsSfnClient() != null ? configuration.getAwsSfnClient()
                : configuration.clientBuildingIdentity();
        return new WorkerKey(activityArn, workerName(), client);
    }

    /** The worker of this start of the endpoint. */
    ActivityWorker worker() {
        ActivityWorker current = worker;
        if (current == null) {
            throw new IllegalStateException("Endpoint " + getEndpointBaseUri() + " is not started");
        }
        return current;
    }

    /** The polls and capacity this endpoint's options ask of its worker. */
    WorkerShape shape() {
        int most = pollerCount();
        return new WorkerShape(Math.min(configuration.getConcurrentPollers(), most), most, configuration.tasksAtMost(),
                configuration.getClientConnections(), configuration.getTaskJournal(),
                configuration.getJournalDirectory());
    }

    /** What this start of the endpoint polls through. */
    ActivityWorker.Client client() {
        boolean timeLimits = pollsNeedTimeLimitsOfTheirOwn();
        GetActivityTaskRequest.Builder poll = GetActivityTaskRequest.builder().activityArn(activityArn)
                .workerName(workerName()).overrideConfiguration(override -> {
                    override.addPlugin(SingleAttemptPolls.INSTANCE);
                    if (timeLimits) {
                        // above the service's hold of 60 s, whatever the answers' time limits are
                        override.apiCallTimeout(SfnActivityConfiguration.POLL_TIMEOUT)
                                .apiCallAttemptTimeout(SfnActivityConfiguration.POLL_TIMEOUT);
                    }
                });
        return new ActivityWorker.Client(resources(), pollCalls, poll.build());
    }

    /**
     * Whether the client has time limits of its own (apiCallTimeout, apiCallAttemptTimeout) that could cut a long poll,
     * so that each poll must carry its own, of 70 s. Without them the client's read timeout bounds a poll, and no timer
     * runs for each open poll.
     */
    boolean pollsNeedTimeLimitsOfTheirOwn() {
        if (!usesClientFromRegistry()) {
            return configuration.getApiCallTimeout() > 0 || configuration.getApiCallAttemptTimeout() > 0;
        }
        try {
            ClientOverrideConfiguration override = configuration.getAwsSfnAsyncClient() != null
                    ? configuration.getAwsSfnAsyncClient().serviceClientConfiguration().overrideConfiguration()
                    : configuration.getAwsSfnClient().serviceClientConfiguration().overrideConfiguration();
            return override.apiCallTimeout().isPresent() || override.apiCallAttemptTimeout().isPresent();
        } catch (RuntimeException hidden) {
            // a decorator that does not show its configuration: assume it has some
            return true;
        }
    }

    /**
     * Says at start what the consumer takes of a client from the registry, whose pool and read timeout the SDK does not
     * show, and warns when its pool (clientConnections) is too small for the pollers asked for.
     */
    void warnWhenPollsAreCapped(int pollers) {
        if (usesClientFromRegistry()) {
            LOG.info("The consumer for activity {} uses the application's Step Functions client: the SDK shows neither "
                     + "its connection pool nor its read timeout, so the consumer takes the pool to have "
                     + "clientConnections={} connections and opens at most {} polls, and needs a read timeout of at "
                     + "least 70 s (a poll the read timeout cuts off is warned about)", activityArn,
                    configuration.getClientConnections(), pollers);
        }
        int asked = configuration.pollersAtMost();
        if (pollers < asked) {
            String option = configuration.getMaxConcurrentPollers() != null ? "maxConcurrentPollers" : "concurrentPollers";
            LOG.warn("{}={} is more than the Step Functions client from the registry has connections for "
                     + "(clientConnections={}, the SDK's default unless set): the consumer for activity {} opens at most "
                     + "{} polls, so that its answers always find a connection. To have {}, build the client with a "
                     + "larger pool (maxConcurrency or maxConnections) and set clientConnections to it",
                    option, asked, configuration.getClientConnections(), activityArn, pollers, asked);
        }
    }

    /**
     * The most polls the consumer opens: maxConcurrentPollers (or concurrentPollers), but within the connections of a
     * client from the registry, so that the answers always find one.
     */
    int pollerCount() {
        int asked = configuration.pollersAtMost();
        if (!usesClientFromRegistry()) {
            return asked;
        }
        return Math.min(asked, ClientPollBudget.pollsWithin(configuration.getClientConnections()));
    }

    boolean usesClientFromRegistry() {
        return configuration.getAwsSfnAsyncClient() != null || configuration.getAwsSfnClient() != null;
    }

    /**
     * The activity lives in the region its ARN names: a client the component builds with no region set takes it from
     * there; another region set is most likely a mistake, which the polls would only report as ActivityDoesNotExist.
     * An emulator's ARNs need not name a region (stepfunctions-local's say "local"): those are left alone.
     */
    private void matchRegionToArn() {
        String[] parts = activityArn.split(":", 6);
        String arnRegion = parts.length == 6 && parts[0].equals("arn") ? parts[3] : null;
        if (arnRegion == null || !isRegionName(arnRegion) || usesClientFromRegistry()) {
            return;
        }
        String region = configuration.getRegion();
        if (region == null) {
            LOG.debug("Endpoint {} polls in {}, the region of its activity ARN", getEndpointBaseUri(), arnRegion);
            configuration.setRegion(arnRegion);
        } else if (!region.equals(arnRegion)) {
            LOG.warn("The activity {} is in region {}, but endpoint {} calls region {}: unless {} is what you mean, "
                     + "its polls will find no such activity (ActivityDoesNotExist). Set region={} or leave it unset",
                    activityArn, arnRegion, getEndpointBaseUri(), region, region, arnRegion);
        }
    }

    /** The worker name the polls give: the option, else the host name. */
    String workerName() {
        if (configuration.getWorkerName() != null) {
            return configuration.getWorkerName();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "camel-worker";
        }
        return host.length() > MAX_WORKER_NAME ? host.substring(0, MAX_WORKER_NAME) : host;
    }

    @Override
    public ActivityCounters getActivityCounters() {
        ActivityWorker current = worker;
        return current != null ? current.counters() : noCounters;
    }

    @Override
    long pollersWanted() {
        ActivityWorker current = worker;
        return current == null ? 0 : current.pollersWanted();
    }

    @Override
    long tasksJournaled() {
        ActivityWorker current = worker;
        return current == null ? 0 : current.journal().journaled();
    }

    @Override
    long journalErrors() {
        ActivityWorker current = worker;
        return current == null ? 0 : current.journal().errors();
    }

    @Override
    long taskLimit() {
        ActivityWorker current = worker;
        return current == null ? configuration.tasksAtMost() : current.maxTasks();
    }

    public String getActivityArn() {
        return activityArn;
    }

    /**
     * The ARN of the activity to work for (arn:aws:states:region:account:activity:name).
     */
    public void setActivityArn(String activityArn) {
        this.activityArn = activityArn;
    }

    @Override
    public SfnActivityConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options of this endpoint.
     */
    public void setConfiguration(SfnActivityConfiguration configuration) {
        this.configuration = configuration;
    }
}
