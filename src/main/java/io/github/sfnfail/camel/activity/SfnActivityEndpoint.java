package io.github.sfnfail.camel.activity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.SfnTaskEndpoint;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.MeterFigure;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Work for an AWS Step Functions activity: long polls (GetActivityTask) hand each task to the route, which is answered
 * when its exchange completes (SendTaskSuccess with the body, SendTaskFailure with the exception), heartbeating while it
 * runs; no task is ever taken that the route cannot start, and none is dropped when the route stops.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-activity", title = "AWS Step Functions Activity",
             syntax = "aws-sfn-activity:activityArn", consumerOnly = true,
             category = { Category.CLOUD, Category.SERVERLESS }, headersClass = SfnConstants.class)
public class SfnActivityEndpoint extends SfnTaskEndpoint {

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

    private final ActivityCounters activityCounters = new ActivityCounters();
    private volatile TaskCalls pollCalls;
    private ActivityPollers pollers;
    private ExecutorService pollThreads;

    public SfnActivityEndpoint(String uri, SfnActivityComponent component, SfnActivityConfiguration configuration) {
        super(uri, component, null);
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
        if (configuration.getConcurrentPollers() < 1 || configuration.getConcurrentPollers() > MAX_POLLERS) {
            throw new IllegalArgumentException("concurrentPollers must be 1 to " + MAX_POLLERS + " (Step Functions "
                                               + "refuses more pollers per activity), not "
                                               + configuration.getConcurrentPollers());
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
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SfnClient syncClient = configuration.getAwsSfnAsyncClient() == null ? configuration.getAwsSfnClient() : null;
        if (syncClient != null) {
            // each poll holds a thread for up to 60 s: threads of their own, never those the answers need
            pollThreads = WorkerThreads.newPool(getCamelContext(), this, "AwsSfnActivityPoll", pollerCount());
            pollCalls = TaskCalls.of(syncClient, pollThreads);
        } else {
            pollCalls = getUnpacedClient();
        }
    }

    @Override
    protected void doStop() throws Exception {
        pollCalls = null;
        if (pollThreads != null) {
            getCamelContext().getExecutorServiceManager().shutdown(pollThreads);
            pollThreads = null;
        }
        super.doStop();
    }

    /** The client the long polls go through: unpaced, and on threads of their own for a synchronous client. */
    TaskCalls pollCalls() {
        TaskCalls calls = pollCalls;
        if (calls == null) {
            throw new IllegalStateException("Endpoint " + getEndpointBaseUri() + " is not started");
        }
        return calls;
    }

    /** The long polls of this endpoint, made once and kept across restarts of its consumer. */
    synchronized ActivityPollers pollers() {
        if (pollers == null) {
            pollers = new ActivityPollers(this, pollerCount());
        }
        return pollers;
    }

    /**
     * How many pollers the consumer runs: concurrentPollers, but within the connections of a client from the registry,
     * so that the answers always find one.
     */
    int pollerCount() {
        if (!usesClientFromRegistry()) {
            return configuration.getConcurrentPollers();
        }
        return Math.min(configuration.getConcurrentPollers(), configuration.pollsWithinClientConnections());
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

    /** What the polls and tasks of this endpoint's consumer did. */
    public ActivityCounters getActivityCounters() {
        return activityCounters;
    }

    @Override
    public Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("activity", activityCounters.asMap());
        figures.put("answers", super.figures());
        return figures;
    }

    @Override
    protected List<MeterFigure> meterFigures() {
        ActivityCounters c = activityCounters;
        return List.of(
                new MeterFigure("polls.open", "Long polls open now", false, c::pollsOpen),
                new MeterFigure("polls.empty", "Polls that came back without a task", true, c::emptyPolls),
                new MeterFigure("tasks.taken", "Tasks the polls brought", true, c::tasksTaken),
                new MeterFigure("tasks.in.hand", "Tasks taken and not answered yet", false, c::tasksInHand),
                new MeterFigure("tasks.succeeded", "Tasks answered with SendTaskSuccess", true, c::succeeded),
                new MeterFigure("tasks.failed", "Tasks answered with SendTaskFailure", true, c::failed),
                new MeterFigure("tasks.answered.by.route", "Tasks the route answered itself", true, c::answeredByRoute),
                new MeterFigure("answers.lost", "Answers that failed for good", true, c::answersLost),
                new MeterFigure("heartbeats", "Heartbeats sent while tasks ran", true, c::heartbeats),
                new MeterFigure("tasks.closed.by.service", "Tasks found closed (stopped, timed out)", true,
                        c::closedByService));
    }

    @ManagedAttribute(description = "Long polls open now")
    public long getPollsOpen() {
        return activityCounters.pollsOpen();
    }

    @ManagedAttribute(description = "Polls that came back without a task")
    public long getEmptyPolls() {
        return activityCounters.emptyPolls();
    }

    @ManagedAttribute(description = "Tasks the polls brought")
    public long getTasksTaken() {
        return activityCounters.tasksTaken();
    }

    @ManagedAttribute(description = "Tasks taken and not answered yet")
    public long getTasksInHand() {
        return activityCounters.tasksInHand();
    }

    @ManagedAttribute(description = "Tasks answered with SendTaskSuccess")
    public long getTasksSucceeded() {
        return activityCounters.succeeded();
    }

    @ManagedAttribute(description = "Tasks answered with SendTaskFailure")
    public long getTasksFailed() {
        return activityCounters.failed();
    }

    @ManagedAttribute(description = "Tasks the route answered itself")
    public long getTasksAnsweredByRoute() {
        return activityCounters.answeredByRoute();
    }

    @ManagedAttribute(description = "Answers that failed for good: their executions wait for a heartbeat or timeout")
    public long getAnswersLost() {
        return activityCounters.answersLost();
    }

    @ManagedAttribute(description = "Heartbeats sent while tasks ran")
    public long getHeartbeats() {
        return activityCounters.heartbeats();
    }

    @ManagedAttribute(description = "Tasks found closed by the service (stopped, timed out)")
    public long getTasksClosedByService() {
        return activityCounters.closedByService();
    }

    @ManagedAttribute(description = "Polls that failed, by AWS error code")
    public String getPollErrorsByCode() {
        return activityCounters.pollErrors().toString();
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
