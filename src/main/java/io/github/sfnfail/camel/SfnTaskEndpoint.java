package io.github.sfnfail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.github.sfnfail.camel.engine.AnswerChannel;
import io.github.sfnfail.camel.engine.AnswerSender;
import io.github.sfnfail.camel.engine.AnswerTally;
import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.TaskTokenSource;
import io.github.sfnfail.camel.engine.QuotaPacers;
import io.github.sfnfail.camel.engine.StopDeadline;
import io.github.sfnfail.camel.engine.ThrottlePacer;
import io.github.sfnfail.camel.engine.WorkerThreads;
import io.github.sfnfail.camel.observe.AnswerCounters;
import io.github.sfnfail.camel.observe.MeterFigure;
import io.github.sfnfail.camel.observe.ObservedEndpoint;
import io.github.sfnfail.camel.observe.SfnMeters;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Component;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * What the endpoints of every Step Functions task callback scheme share: the client (given or built) and its
 * lifecycle, the pacing of its calls under each API's quota (shared with the other endpoints on that quota), the outcome rules, counters with their JMX attributes and
 * Micrometer meters, and the checks of the shared options. A scheme's endpoint adds its options and its producer.
 */
@ManagedResource(description = "AWS Step Functions task callback endpoint: what its answers did")
public abstract class SfnTaskEndpoint extends DefaultEndpoint
        implements AsyncEndpoint, EndpointServiceLocation, AnswerChannel, ObservedEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SfnTaskEndpoint.class);
    /** What any AWS region name looks like (us-east-1, us-gov-west-1, cn-north-1), with no list to go stale. */
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]+(-[a-z0-9]+)*-[0-9]+");
    /** The threads the client the endpoint builds completes its calls on, made as needed: Camel's default pool size. */
    private static final int REPLY_THREADS = 10;

    private final AnswerCounters counters = new AnswerCounters();
    private final TaskCall<?, ?> taskCall;
    /** What this start of the endpoint calls through; null while stopped. */
    private volatile CallResources resources;
    /** What the latest start called through: it may still be held after a stop. */
    private volatile CallResources latestResources;
    private AutoCloseable meters;

    /**
     * @param taskCall the call this endpoint's producer makes (its pacer paces it, its health check probes with it), or
     *                 null for a consumer, which answers every way
     */
    protected SfnTaskEndpoint(String uri, Component component, TaskCall<?, ?> taskCall) {
        super(uri, component);
        this.taskCall = taskCall;
    }

    @Override
    public SfnTaskComponent getComponent() {
        return (SfnTaskComponent) super.getComponent();
    }

    /** The options of this endpoint. */
    public abstract SfnTaskConfiguration getConfiguration();

    /** The scheme of this endpoint: aws-sfn-fail, aws-sfn-success... */
    public String getScheme() {
        String uri = getEndpointUri();
        return uri.substring(0, uri.indexOf(':'));
    }

    /** The call this endpoint's producer makes, or null for a consumer. */
    public TaskCall<?, ?> taskCall() {
        return taskCall;
    }

    /**
     * Checks the scheme's own options at init, so that an endpoint that could never send a valid answer does not
     * start.
     */
    protected void checkOptions() {
    }

    /**
     * The health check's probe: this endpoint's call with a token no task has, sent at once (never behind paced
     * calls).
     */
    public CompletableFuture<?> probe(String token) {
        throw new UnsupportedOperationException(getScheme() + " has no producer to probe for");
    }

    /** Whether this looks like an AWS region name (us-east-1, us-gov-west-1, cn-north-1). */
    public static boolean isRegionName(String region) {
        return REGION_NAME.matcher(region).matches();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        SfnTaskConfiguration configuration = getConfiguration();
        if (configuration.isOverrideEndpoint() && ObjectHelper.isEmpty(configuration.getUriEndpointOverride())) {
            throw new IllegalArgumentException("overrideEndpoint=true needs the uriEndpointOverride option");
        }
        String region = configuration.getRegion();
        if (region != null && !isRegionName(region)) {
            // the SDK takes any text, and a wrong one fails only at the first call, as an HTTP error after retries
            throw new IllegalArgumentException("region=" + region + " is not a region name: AWS region names are lower "
                                               + "case words and digits joined by hyphens, such as eu-west-1");
        }
        RetryMode mode = configuration.getRetryMode();
        if (mode != null && mode != RetryMode.LEGACY && mode != RetryMode.STANDARD) {
            throw new IllegalArgumentException("retryMode=" + mode + " is not supported: use LEGACY or STANDARD. The "
                                               + "endpoint paces throttled calls itself (see throttlingTimeout), so the "
                                               + "SDK's adaptive rate limiting would never engage");
        }
        if (configuration.getMaxAttempts() != null && configuration.getMaxAttempts() < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (the first attempt counts), not "
                                               + configuration.getMaxAttempts());
        }
        if (configuration.getTaskToken() != null) {
            TaskTokenSource.check(configuration.getTaskToken(), "option taskToken");
        }
        checkOptions();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // watching the context from now on, so that its stop's deadline counts from the moment it begins
        StopDeadline.of(getCamelContext());
        resources = newResources();
        latestResources = resources;
        getComponent().track(resources);
        // Micrometer is optional: its classes are only touched when the application has it
        if (getCamelContext().getClassResolver().resolveClass(SfnMeters.MICROMETER) != null) {
            meters = SfnMeters.bind(getCamelContext(), getScheme(), getMaskedUri(), counters, meterFigures());
        }
    }

    /**
     * The client (the application's, else one built from the options), the pacer of each API's quota, the outcome
     * rules and the timer, with what closes them once nothing holds them any more.
     */
    private CallResources newResources() {
        List<AutoCloseable> closers = new ArrayList<>();
        TaskCalls client = resolveClient(closers);
        ScheduledExecutorService timer = WorkerThreads.newTimer(getCamelContext(), "AwsSfnTimer");
        QuotaPacers.Lease paced = QuotaPacers.of(getCamelContext()).lease(client, quotaScope(), whereCallsGo(),
                getEndpointBaseUri(), getConfiguration().getThrottlingTimeout(), counters);
        AnswerSender sender = new AnswerSender(getConfiguration().isIgnoreClosedTask(), whereCallsGo());
        List<AutoCloseable> inOrder = new ArrayList<>();
        // what still waits for its turn under throttling fails first, then the timer, then the client and its threads
        inOrder.add(paced::close);
        inOrder.add(() -> getCamelContext().getExecutorServiceManager().shutdown(timer));
        addSchemeResources(client, inOrder);
        inOrder.addAll(closers);
        return new CallResources(getEndpointBaseUri(), client, paced, sender, timer, counters, inOrder);
    }

    /**
     * What the quotas of this endpoint's calls are for, the API apart: the client from the registry itself, else what
     * tells an account and region apart among the clients the component builds (credentials, region, service
     * endpoint). Endpoints with the same scope share the pacer of each API.
     */
    private Object quotaScope() {
        SfnTaskConfiguration configuration = getConfiguration();
        if (configuration.getAwsSfnAsyncClient() != null) {
            return configuration.getAwsSfnAsyncClient();
        }
        if (configuration.getAwsSfnClient() != null) {
            return configuration.getAwsSfnClient();
        }
        String credentials = configuration.getAccessKey() != null ? "key " + configuration.getAccessKey()
                : configuration.isUseProfileCredentialsProvider() ? "profile " + configuration.getProfileCredentialsName()
                : "default credentials";
        return String.join("|", String.valueOf(configuration.getRegion()),
                configuration.isOverrideEndpoint() ? configuration.getUriEndpointOverride() : "aws", credentials);
    }

    /**
     * Where this endpoint's calls go, for log lines and hints, with no credentials in it: "in region eu-west-1", "at
     * http://127.0.0.1:4584 (region us-east-1)", "through the client from the registry".
     */
    public String whereCallsGo() {
        SfnTaskConfiguration configuration = getConfiguration();
        if (configuration.getAwsSfnAsyncClient() != null || configuration.getAwsSfnClient() != null) {
            return "through the client from the registry";
        }
        String region = configuration.getRegion() != null ? "region " + configuration.getRegion()
                : "the SDK's default region";
        return configuration.isOverrideEndpoint() ? "at " + configuration.getUriEndpointOverride() + " (" + region + ")"
                : "in " + region;
    }

    /**
     * Resources of the scheme's own for one start of the endpoint, made once the client is known and closed with the
     * others once nothing holds them (before the client): the activity consumer's poll threads, for example.
     *
     * @param client  the unpaced client of this start
     * @param closers gets what closes them
     */
    protected void addSchemeResources(TaskCalls client, List<AutoCloseable> closers) {
    }

    /** What the latest start of the endpoint called through (it may still be held after a stop), or null. */
    protected CallResources latestResources() {
        return latestResources;
    }

    /**
     * @param closers gets what closes the client and its threads, in order, when the endpoint built them
     */
    private TaskCalls resolveClient(List<AutoCloseable> closers) {
        SfnTaskConfiguration configuration = getConfiguration();
        TaskCalls given = null;
        if (configuration.getAwsSfnAsyncClient() != null) {
            given = TaskCalls.of(configuration.getAwsSfnAsyncClient());
        } else if (configuration.getAwsSfnClient() != null) {
            ExecutorService syncClientCalls = newSyncClientPool();
            // calls under way finish; none is interrupted
            closers.add(() -> getCamelContext().getExecutorServiceManager().shutdown(syncClientCalls));
            given = TaskCalls.of(configuration.getAwsSfnClient(), syncClientCalls);
        }
        if (given != null) {
            if (configuration.hasClientBuildingOptions()) {
                LOG.warn("Endpoint {} uses a Step Functions client from the registry: its client options (region, "
                         + "credentials, endpoint override, retries, time limits) do not apply",
                        getEndpointBaseUri());
            }
            return given;
        }
        // where the client completes its calls, and so where a route goes on after its answer's reply and where the
        // activity consumer opens its next poll: threads of the endpoint's own that queue what they cannot run at
        // once, never the client's I/O threads. Completed on the I/O thread that read the reply (a direct executor),
        // a call that starts another call of the client loses replies: the SDK sometimes drops the task a poll
        // brought without a word and polls again (about 1 task in 10,000 at 400 tasks/s with 2 % 5xx and resets)
        ExecutorService replyThreads = WorkerThreads.newPool(getCamelContext(), this, "AwsSfnReply", REPLY_THREADS);
        TaskCalls built = TaskCalls.of(buildClient(configuration, replyThreads));
        closers.add(built::close);
        // after the client: what it completed while closing still runs (a pool shut down first would drop it)
        closers.add(() -> getCamelContext().getExecutorServiceManager().shutdown(replyThreads));
        return built;
    }

    /** The client the factory builds; a build that finds no region says which option sets one (NoRegionFound). */
    private SfnAsyncClient buildClient(SfnTaskConfiguration configuration, Executor replies) {
        try {
            return getComponent().clientFactoryInUse().createAsyncClient(configuration, replies);
        } catch (SdkClientException e) {
            if (NoRegionFound.isNoRegion(e, configuration)) {
                throw NoRegionFound.failure(getEndpointBaseUri(), e);
            }
            throw e;
        }
    }

    /**
     * As many threads as the pacer lets reports into flight, so that concurrent reports through a synchronous client
     * take about the time of one call; what is queued behind them waits for a thread, never runs on the caller's.
     */
    private ExecutorService newSyncClientPool() {
        return WorkerThreads.newPool(getCamelContext(), this, "AwsSfnSyncClient", ThrottlePacer.MAX_IN_FLIGHT);
    }

    @Override
    protected void doStop() throws Exception {
        if (meters != null) {
            meters.close();
            meters = null;
        }
        CallResources stopping = resources;
        resources = null;
        if (stopping != null) {
            stopping.retire();
            awaitHolders(stopping);
        }
        super.doStop();
    }

    /**
     * When the whole context stops (the process most likely ends next), waits for what still holds the client: a long
     * poll Step Functions may still hand a task to, and the answer to such a task, at most until the stop's deadline
     * ({@link StopDeadline}), shared by every endpoint. A route stop or removal does not wait: the holders keep the
     * client until they are done, then close it.
     */
    private void awaitHolders(CallResources stopping) {
        int holders = stopping.pendingHolds();
        StopDeadline deadline = StopDeadline.of(getCamelContext());
        if (holders == 0 || !deadline.isStopping()) {
            return;
        }
        long left = deadline.millisLeft();
        LOG.info("Endpoint {} waits for {} before it closes its client (at most {} s, the stop's deadline)",
                getEndpointBaseUri(), workUnderWay(holders), TimeUnit.MILLISECONDS.toSeconds(left + 999));
        if (!stopping.awaitClosed(left, TimeUnit.MILLISECONDS)) {
            LOG.warn("Endpoint {} stopped with {} at the stop's deadline ({} s after the stop began)",
                    getEndpointBaseUri(), workUnderWay(stopping.pendingHolds()),
                    StopDeadline.boundSeconds(getCamelContext().getShutdownStrategy()));
        }
    }

    /**
     * What still holds the client, in words, for the log lines of a stop.
     *
     * @param holders how many calls, polls and tasks hold it
     */
    protected String workUnderWay(int holders) {
        return holders + " answer(s) still on their way";
    }

    /**
     * Where the answers go, for Camel's service registry and telemetry: the overridden endpoint, else the region.
     */
    @Override
    public String getServiceUrl() {
        if (getConfiguration().isOverrideEndpoint()) {
            return getConfiguration().getUriEndpointOverride();
        }
        return getConfiguration().getRegion();
    }

    @Override
    public String getServiceProtocol() {
        return "sfn";
    }

    /** What this start of the endpoint calls through; throws when the endpoint is not started. */
    public CallResources resources() {
        CallResources current = resources;
        if (current == null) {
            throw new IllegalStateException("Endpoint " + getEndpointBaseUri() + " is not started");
        }
        return current;
    }

    /** The client answers go through: paced when Step Functions throttles. */
    public TaskCalls getClient() {
        return resources().paced();
    }

    /** The client itself, for calls that must not wait behind paced answers (the health check's probe). */
    public TaskCalls getUnpacedClient() {
        return resources().unpaced();
    }

    @Override
    public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<AnswerSender.Result<S>> send(
            TaskCall<R, S> call, R request, boolean earlierDeliveryUnknown, UnaryOperator<R> kmsFallback) {
        return resources().send(call, request, earlierDeliveryUnknown, kmsFallback);
    }

    /** The scheduler of this endpoint's timed work (periodic heartbeats); null when it is not started. */
    @Override
    public ScheduledExecutorService scheduler() {
        CallResources current = resources;
        return current == null || current.isRetired() ? null : current.scheduler();
    }

    @Override
    public AnswerTally tally() {
        return counters;
    }

    @Override
    public String name() {
        return getEndpointBaseUri();
    }

    /**
     * The endpoint's full URI with its secrets and task token masked: what tells this endpoint apart from another with
     * the same label and other options, in its meters and the dev console.
     */
    public String getMaskedUri() {
        return URISupport.sanitizeUri(getEndpointUri());
    }

    /** Every figure of this endpoint by name, for the dev console: its answer counters, and the scheme's own. */
    public Map<String, Object> figures() {
        return counters.asMap();
    }

    /** Figures of the scheme's own to show as meters beside the answer counters. */
    protected List<MeterFigure> meterFigures() {
        return List.of();
    }

    /** What the answers of this endpoint did. */
    public AnswerCounters getCounters() {
        return counters;
    }

    @ManagedAttribute(description = "Reports handed to Step Functions")
    public long getReportsSent() {
        return counters.sent();
    }

    @ManagedAttribute(description = "Reports Step Functions accepted")
    public long getReportsLanded() {
        return counters.landed();
    }

    @ManagedAttribute(description = "Reports that found their task already closed and were done")
    public long getClosedTasks() {
        return counters.closedTasks();
    }

    @ManagedAttribute(description = "Closed tasks closed by an earlier attempt of the same report whose answer was lost")
    public long getClosedByThisReport() {
        return counters.closedByThisReport();
    }

    @ManagedAttribute(description = "Reports sent without error and cause because KMS refused the state machine's key")
    public long getKmsFallbacks() {
        return counters.kmsFallbacks();
    }

    @ManagedAttribute(description = "Reports refused before any call (token, error, cause, output or body wrong)")
    public long getReportsRefused() {
        return counters.refused();
    }

    @ManagedAttribute(description = "Reports refused before any call for their task token")
    public long getRefusedForToken() {
        return counters.refused(InvalidTaskAnswerException.Part.TOKEN);
    }

    @ManagedAttribute(description = "Reports refused before any call for their error name")
    public long getRefusedForError() {
        return counters.refused(InvalidTaskAnswerException.Part.ERROR);
    }

    @ManagedAttribute(description = "Reports refused before any call for their cause")
    public long getRefusedForCause() {
        return counters.refused(InvalidTaskAnswerException.Part.CAUSE);
    }

    @ManagedAttribute(description = "Success reports refused before any call for their output (not JSON, too large)")
    public long getRefusedForOutput() {
        return counters.refused(InvalidTaskAnswerException.Part.OUTPUT);
    }

    @ManagedAttribute(description = "Reports refused before any call for a pojoRequest body of another type")
    public long getRefusedForBody() {
        return counters.refused(InvalidTaskAnswerException.Part.BODY);
    }

    @ManagedAttribute(description = "Causes cut to the 32768 characters Step Functions accepts")
    public long getCausesCut() {
        return counters.causesCut();
    }

    @ManagedAttribute(description = "Reports that failed")
    public long getReportsFailed() {
        return counters.failed();
    }

    @ManagedAttribute(description = "Reports that failed, by AWS error code")
    public String getFailuresByErrorCode() {
        return counters.failedByErrorCode().toString();
    }

    @ManagedAttribute(description = "Calls Step Functions throttled")
    public long getThrottledCalls() {
        return counters.throttledCalls();
    }

    @ManagedAttribute(description = "Reports sent and not answered yet")
    public long getReportsInFlight() {
        return counters.inFlight();
    }

    @ManagedAttribute(description = "The AWS request id of the latest report that landed")
    public String getLastRequestId() {
        return counters.lastRequestId();
    }
}
