package io.github.sfnfail.camel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * Report a failed task to AWS Step Functions (SendTaskFailure), so that the state machine's Catch or Retry takes over
 * instead of the execution waiting for its timeout.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-fail", title = "AWS Step Functions Task Failure",
             syntax = "aws-sfn-fail:label", producerOnly = true, category = { Category.CLOUD, Category.SERVERLESS },
             headersClass = SfnFailConstants.class)
@ManagedResource(description = "AWS Step Functions Task Failure endpoint: what its failure reports did")
public class SfnFailEndpoint extends DefaultEndpoint implements AsyncEndpoint, EndpointServiceLocation {

    private static final Logger LOG = LoggerFactory.getLogger(SfnFailEndpoint.class);

    @UriPath(description = "A name for the endpoint, free to choose (for example the worker or the state machine it "
                           + "reports to); it only tells endpoints apart.")
    @Metadata(required = true)
    private String label;
    @UriParam
    private SfnFailConfiguration configuration;

    private final ReportCounters counters = new ReportCounters();
    private volatile TaskFailureClient client;
    private volatile boolean ownsClient;
    private volatile ThrottlePacer pacer;
    private volatile TaskFailureClient pacedClient;
    private ScheduledExecutorService pacerScheduler;
    /** Runs the calls of a synchronous client from the registry, so that none blocks a caller or the pacer. */
    private ExecutorService syncClientCalls;
    private AutoCloseable meters;

    public SfnFailEndpoint(String uri, SfnFailComponent component, SfnFailConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public SfnFailComponent getComponent() {
        return (SfnFailComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new SfnFailProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("aws-sfn-fail only reports failures: it has no consumer");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (configuration.isOverrideEndpoint() && ObjectHelper.isEmpty(configuration.getUriEndpointOverride())) {
            throw new IllegalArgumentException("overrideEndpoint=true needs the uriEndpointOverride option");
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
        new TaskFailureRequestFactory(configuration, counters).checkOptions();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = resolveClient();
        pacerScheduler = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "AwsSfnFailPacer");
        pacer = new ThrottlePacer(getEndpointBaseUri(), pacerScheduler, configuration.getThrottlingTimeout(),
                System::nanoTime, counters);
        pacedClient = pacer.around(client);
        // Micrometer is optional: its classes are only touched when the application has it
        if (getCamelContext().getClassResolver().resolveClass(SfnFailMeters.MICROMETER) != null) {
            meters = SfnFailMeters.bind(getCamelContext(), getMaskedUri(), counters);
        }
    }

    private TaskFailureClient resolveClient() {
        TaskFailureClient given = null;
        if (configuration.getAwsSfnAsyncClient() != null) {
            given = TaskFailureClient.of(configuration.getAwsSfnAsyncClient());
        } else if (configuration.getAwsSfnClient() != null) {
            syncClientCalls = newSyncClientPool();
            given = TaskFailureClient.of(configuration.getAwsSfnClient(), syncClientCalls);
        }
        if (given != null) {
            if (configuration.hasClientBuildingOptions()) {
                LOG.warn("Endpoint {} uses a Step Functions client from the registry: its client options (region, "
                         + "credentials, endpoint override, retries, time limits) do not apply",
                        getEndpointBaseUri());
            }
            ownsClient = false;
            return given;
        }
        ownsClient = true;
        return TaskFailureClient.of(getComponent().clientFactoryInUse().createAsyncClient(configuration));
    }

    /**
     * As many threads as the pacer lets reports into flight, so that concurrent reports through a synchronous client
     * take about the time of one call; idle threads go after a minute.
     */
    private ExecutorService newSyncClientPool() {
        ThreadPoolProfile profile = new ThreadPoolProfile("AwsSfnFailSyncClient");
        profile.setPoolSize(ThrottlePacer.MAX_IN_FLIGHT);
        profile.setMaxPoolSize(ThrottlePacer.MAX_IN_FLIGHT);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        // unbounded, yet it never holds more than the pacer lets into flight (and a health check's probe)
        profile.setMaxQueueSize(-1);
        return getCamelContext().getExecutorServiceManager().newThreadPool(this, "AwsSfnFailSyncClient", profile);
    }

    @Override
    protected void doStop() throws Exception {
        if (meters != null) {
            meters.close();
            meters = null;
        }
        if (pacer != null) {
            pacer.stop();
            pacer = null;
            pacedClient = null;
        }
        if (pacerScheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(pacerScheduler);
            pacerScheduler = null;
        }
        if (syncClientCalls != null) {
            // calls under way finish; none is interrupted
            getCamelContext().getExecutorServiceManager().shutdown(syncClientCalls);
            syncClientCalls = null;
        }
        if (ownsClient && client != null) {
            client.close();
        }
        client = null;
        ownsClient = false;
        super.doStop();
    }

    /**
     * Where the reports go, for Camel's service registry and telemetry: the overridden endpoint, else the region.
     */
    @Override
    public String getServiceUrl() {
        if (configuration.isOverrideEndpoint()) {
            return configuration.getUriEndpointOverride();
        }
        return configuration.getRegion();
    }

    @Override
    public String getServiceProtocol() {
        return "sfn";
    }

    /** The client reports go through: paced when Step Functions throttles. */
    TaskFailureClient getClient() {
        TaskFailureClient paced = pacedClient;
        if (paced == null) {
            throw new IllegalStateException("Endpoint " + getEndpointBaseUri() + " is not started");
        }
        return paced;
    }

    /** The client itself, for calls that must not wait behind paced reports (the health check's probe). */
    TaskFailureClient getUnpacedClient() {
        if (client == null) {
            throw new IllegalStateException("Endpoint " + getEndpointBaseUri() + " is not started");
        }
        return client;
    }

    /**
     * The endpoint's full URI with its secrets and task token masked: what tells this endpoint apart from another with
     * the same label and other options, in its meters and the dev console.
     */
    public String getMaskedUri() {
        return URISupport.sanitizeUri(getEndpointUri());
    }

    /** What the reports of this endpoint did. */
    public ReportCounters getCounters() {
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

    @ManagedAttribute(description = "Reports refused before any call (token, error, cause or body wrong)")
    public long getReportsRefused() {
        return counters.refused();
    }

    @ManagedAttribute(description = "Reports refused before any call for their task token")
    public long getRefusedForToken() {
        return counters.refused(ReportCounters.RefusedPart.TOKEN);
    }

    @ManagedAttribute(description = "Reports refused before any call for their error name")
    public long getRefusedForError() {
        return counters.refused(ReportCounters.RefusedPart.ERROR);
    }

    @ManagedAttribute(description = "Reports refused before any call for their cause")
    public long getRefusedForCause() {
        return counters.refused(ReportCounters.RefusedPart.CAUSE);
    }

    @ManagedAttribute(description = "Reports refused before any call for a pojoRequest body of another type")
    public long getRefusedForBody() {
        return counters.refused(ReportCounters.RefusedPart.BODY);
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

    public String getLabel() {
        return label;
    }

    /**
     * A name for the endpoint, free to choose; it only tells endpoints apart.
     */
    public void setLabel(String label) {
        this.label = label;
    }

    public SfnFailConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options of this endpoint.
     */
    public void setConfiguration(SfnFailConfiguration configuration) {
        this.configuration = configuration;
    }
}
