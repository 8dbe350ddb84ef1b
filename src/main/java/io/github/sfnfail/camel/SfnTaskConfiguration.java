package io.github.sfnfail.camel;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.aws.common.AwsCommonConfiguration;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import software.amazon.awssdk.core.Protocol;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The options every Step Functions task callback scheme shares (the task token, closed tasks, the client, its retries
 * and time limits, pacing), shared by a component and its endpoints: the component's copy is cloned into each endpoint,
 * then the shared aws-sfn component's options that the component did not set are applied, then the endpoint's own URI
 * options, which gives endpoint over component over shared precedence. Each scheme adds its own options in a subclass.
 */
@UriParams
public class SfnTaskConfiguration implements Cloneable, AwsCommonConfiguration {

    /**
     * The options every scheme has and can take from the shared aws-sfn component (camel.component.aws-sfn.*), as
     * they are named on the endpoints: all of these but the task token.
     */
    public static final List<String> SHARED_OPTIONS = List.of("region", "accessKey", "secretKey", "sessionToken",
            "useDefaultCredentialsProvider", "useProfileCredentialsProvider", "profileCredentialsName",
            "useSessionCredentials", "overrideEndpoint", "uriEndpointOverride", "trustAllCertificates", "proxyProtocol",
            "proxyHost", "proxyPort", "awsSfnAsyncClient", "awsSfnClient", "retryMode", "maxAttempts", "apiCallTimeout",
            "apiCallAttemptTimeout", "throttlingTimeout", "ignoreClosedTask");

    /**
     * The options of the activity consumer alone that the shared aws-sfn component takes too, as they are named on its
     * endpoints: facts of the deployment, set once beside the region and credentials (where the task journal lives).
     * The producers have no such option and leave it.
     */
    public static final List<String> SHARED_ACTIVITY_OPTIONS = List.of("journalDirectory");

    // the answer

    @UriParam(label = "producer", secret = true)
    private String taskToken;
    @UriParam(label = "producer")
    private boolean ignoreClosedTask;

    // the client

    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private SfnAsyncClient awsSfnAsyncClient;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private SfnClient awsSfnClient;
    @UriParam
    private String region;
    @UriParam(label = "security", secret = true)
    private String accessKey;
    @UriParam(label = "security", secret = true)
    private String secretKey;
    @UriParam(label = "security", secret = true)
    private String sessionToken;
    @UriParam(label = "security")
    private boolean useDefaultCredentialsProvider;
    @UriParam(label = "security")
    private boolean useProfileCredentialsProvider;
    @UriParam(label = "security")
    private String profileCredentialsName;
    @UriParam(label = "security")
    private boolean useSessionCredentials;
    @UriParam(label = "security")
    private boolean trustAllCertificates;
    @UriParam
    private boolean overrideEndpoint;
    @UriParam
    private String uriEndpointOverride;
    @UriParam(label = "proxy", enums = "HTTP,HTTPS", defaultValue = "HTTPS")
    private Protocol proxyProtocol = Protocol.HTTPS;
    @UriParam(label = "proxy")
    private String proxyHost;
    @UriParam(label = "proxy")
    private Integer proxyPort;

    // retries and time limits of the client the endpoint builds

    @UriParam(label = "advanced", enums = "LEGACY,STANDARD")
    private RetryMode retryMode;
    @UriParam(label = "advanced")
    private Integer maxAttempts;
    @UriParam(label = "advanced", javaType = "java.time.Duration")
    private long apiCallTimeout;
    @UriParam(label = "advanced", javaType = "java.time.Duration")
    private long apiCallAttemptTimeout;
    @UriParam(label = "advanced", javaType = "java.time.Duration", defaultValue = "5m")
    private long throttlingTimeout = 300_000;

    /**
     * The options given a value on this configuration, by its setters: lines of the scheme's own, which win over the
     * shared aws-sfn component's. Not an option.
     */
    private Set<String> setOptions = new HashSet<>();
    private Set<String> fromSharedOptions = new HashSet<>();

    public String getTaskToken() {
        return taskToken;
    }

    /**
     * The task token of the task to answer, when it is not given in the CamelAwsSfnTaskToken header (the header wins).
     * Tokens contain characters such as the plus sign and the slash: write it as RAW(token) in an endpoint URI,
     * or URL decoding turns each plus sign into a space. The token is a bearer credential and is masked wherever Camel
     * prints the URI.
     */
    public void setTaskToken(String taskToken) {
        this.taskToken = taskToken;
    }

    public boolean isIgnoreClosedTask() {
        return ignoreClosedTask;
    }

    /**
     * Whether a TaskTimedOut answer (the task is already closed: it timed out, or it was already completed or failed,
     * as happens with duplicate deliveries from at-least-once sources) is treated as done: the exchange continues with
     * the CamelAwsSfnTaskClosed header set to true. Any other error still fails the exchange.
     */
    public void setIgnoreClosedTask(boolean ignoreClosedTask) {
        this.ignoreClosedTask = ignoreClosedTask;
        setOptions.add("ignoreClosedTask");
    }

    public SfnAsyncClient getAwsSfnAsyncClient() {
        return awsSfnAsyncClient;
    }

    /**
     * A ready-made asynchronous Step Functions client to use instead of building one from the options. If exactly one
     * SfnAsyncClient is in the registry it is used. A client given here is not closed by the endpoint, and keeps its own
     * HTTP settings: for the activity consumer give it a read timeout of at least 70 s (AWS holds a poll up to 60 s)
     * and set clientConnections to its pool size.
     */
    public void setAwsSfnAsyncClient(SfnAsyncClient awsSfnAsyncClient) {
        this.awsSfnAsyncClient = awsSfnAsyncClient;
        setOptions.add("awsSfnAsyncClient");
    }

    public SfnClient getAwsSfnClient() {
        return awsSfnClient;
    }

    /**
     * A ready-made synchronous Step Functions client to use instead of building one from the options (an
     * SfnAsyncClient, when also given, is preferred). Each call holds a thread: its calls run on threads of the
     * endpoint's own (50, calls beyond them queued; the activity consumer's polls on one more per poller), never on a
     * route's or a timer's thread. If exactly one SfnClient is in the registry it is used. A client given here is not
     * closed by the endpoint.
     */
    public void setAwsSfnClient(SfnClient awsSfnClient) {
        this.awsSfnClient = awsSfnClient;
        setOptions.add("awsSfnClient");
    }

    @Override
    public String getRegion() {
        return region;
    }

    /**
     * The AWS region of the state machine, lowercase (for example eu-west-1). Task tokens are only valid in the region
     * that issued them. When not set, the SDK's default region chain applies (AWS_REGION, profile, instance metadata).
     */
    public void setRegion(String region) {
        this.region = region;
        setOptions.add("region");
    }

    @Override
    public String getAccessKey() {
        return accessKey;
    }

    /**
     * Amazon AWS access key id. With no credential option at all, the SDK's default credentials chain applies.
     */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
        setOptions.add("accessKey");
    }

    @Override
    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Amazon AWS secret access key, used with accessKey.
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
        setOptions.add("secretKey");
    }

    @Override
    public String getSessionToken() {
        return sessionToken;
    }

    /**
     * Amazon AWS session token of temporary credentials (for example of an assumed IAM role); used with accessKey,
     * secretKey and useSessionCredentials.
     */
    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
        setOptions.add("sessionToken");
    }

    @Override
    public boolean isUseDefaultCredentialsProvider() {
        return useDefaultCredentialsProvider;
    }

    /**
     * Load credentials through the SDK's default credentials provider chain (environment, system properties, profile,
     * container and instance roles), ignoring accessKey and secretKey.
     */
    public void setUseDefaultCredentialsProvider(boolean useDefaultCredentialsProvider) {
        this.useDefaultCredentialsProvider = useDefaultCredentialsProvider;
        setOptions.add("useDefaultCredentialsProvider");
    }

    @Override
    public boolean isUseProfileCredentialsProvider() {
        return useProfileCredentialsProvider;
    }

    /**
     * Load credentials from a profile of the AWS shared configuration files (see profileCredentialsName).
     */
    public void setUseProfileCredentialsProvider(boolean useProfileCredentialsProvider) {
        this.useProfileCredentialsProvider = useProfileCredentialsProvider;
        setOptions.add("useProfileCredentialsProvider");
    }

    @Override
    public String getProfileCredentialsName() {
        return profileCredentialsName;
    }

    /**
     * The profile to load credentials from when useProfileCredentialsProvider is true; the SDK's default profile when
     * not set.
     */
    public void setProfileCredentialsName(String profileCredentialsName) {
        this.profileCredentialsName = profileCredentialsName;
        setOptions.add("profileCredentialsName");
    }

    @Override
    public boolean isUseSessionCredentials() {
        return useSessionCredentials;
    }

    /**
     * Use temporary session credentials made of accessKey, secretKey and sessionToken, as when the worker assumes an
     * IAM role.
     */
    public void setUseSessionCredentials(boolean useSessionCredentials) {
        this.useSessionCredentials = useSessionCredentials;
        setOptions.add("useSessionCredentials");
    }

    @Override
    public boolean isTrustAllCertificates() {
        return trustAllCertificates;
    }

    /**
     * Trust every TLS certificate, for an overridden endpoint with a self-signed certificate. Never use it against AWS.
     */
    public void setTrustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
        setOptions.add("trustAllCertificates");
    }

    @Override
    public boolean isOverrideEndpoint() {
        return overrideEndpoint;
    }

    /**
     * Send requests to uriEndpointOverride instead of the regional Step Functions endpoint (an emulator, a VPC
     * endpoint, a FIPS endpoint). Requires uriEndpointOverride.
     */
    public void setOverrideEndpoint(boolean overrideEndpoint) {
        this.overrideEndpoint = overrideEndpoint;
        setOptions.add("overrideEndpoint");
    }

    @Override
    public String getUriEndpointOverride() {
        return uriEndpointOverride;
    }

    /**
     * The endpoint to send requests to when overrideEndpoint is true, for example http://127.0.0.1:8083 or
     * https://states-fips.us-east-1.amazonaws.com.
     */
    public void setUriEndpointOverride(String uriEndpointOverride) {
        this.uriEndpointOverride = uriEndpointOverride;
        setOptions.add("uriEndpointOverride");
    }

    @Override
    public Protocol getProxyProtocol() {
        return proxyProtocol;
    }

    /**
     * The protocol to talk to the proxy with.
     */
    public void setProxyProtocol(Protocol proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
        setOptions.add("proxyProtocol");
    }

    @Override
    public String getProxyHost() {
        return proxyHost;
    }

    /**
     * The host of an HTTP proxy to reach Step Functions through (with proxyPort).
     */
    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
        setOptions.add("proxyHost");
    }

    @Override
    public Integer getProxyPort() {
        return proxyPort;
    }

    /**
     * The port of the proxy given by proxyHost.
     */
    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
        setOptions.add("proxyPort");
    }

    public RetryMode getRetryMode() {
        return retryMode;
    }

    /**
     * The SDK retry mode of the client the endpoint builds: LEGACY (4 attempts) or STANDARD (3 attempts, exponential
     * backoff). When not set, the SDK's default applies (AWS_RETRY_MODE, profile, else LEGACY). The SDK retries 5xx
     * answers, I/O errors, attempt timeouts and KMS throttling; TaskTimedOut, InvalidToken, TaskDoesNotExist and
     * AccessDenied are not retried. Step Functions throttling is not the SDK's to retry: the endpoint sends throttled
     * calls again itself, paced at the rate the service admits, for as long as throttlingTimeout allows. That is why the
     * adaptive modes (ADAPTIVE, ADAPTIVE_V2), whose client-side rate limiting learns only from the throttling the SDK
     * retries, are refused; one that comes from AWS_RETRY_MODE or the profile is taken as STANDARD.
     */
    public void setRetryMode(RetryMode retryMode) {
        this.retryMode = retryMode;
        setOptions.add("retryMode");
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    /**
     * How many attempts, the first included, the client the endpoint builds makes for one report before the error
     * reaches the route. When not set, the retry mode's default applies.
     */
    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
        setOptions.add("maxAttempts");
    }

    public long getApiCallTimeout() {
        return apiCallTimeout;
    }

    /**
     * Time limit of one report, all attempts and backoff included, for the client the endpoint builds (for example 30s).
     * 0 means the SDK default (none). A plain number is milliseconds, and one under a second is refused as a likely
     * mistake (30 would be 30 ms: write 30s).
     */
    public void setApiCallTimeout(long apiCallTimeout) {
        this.apiCallTimeout = apiCallTimeout;
        setOptions.add("apiCallTimeout");
    }

    public long getApiCallAttemptTimeout() {
        return apiCallAttemptTimeout;
    }

    /**
     * Time limit of one HTTP attempt for the client the endpoint builds (for example 5s); an attempt past it is retried
     * like an I/O error. 0 means the SDK default (none). A plain number is milliseconds, and one under a second is
     * refused as a likely mistake (write 5s, or 500ms).
     */
    public void setApiCallAttemptTimeout(long apiCallAttemptTimeout) {
        this.apiCallAttemptTimeout = apiCallAttemptTimeout;
        setOptions.add("apiCallAttemptTimeout");
    }

    /**
     * Whether the options ask for settings that only apply to a client the endpoint builds itself.
     */
    /**
     * What tells apart the clients endpoints build from these options (where they call, as whom, through which proxy,
     * with which retries and time limits), without any secret: endpoints with the same build the same client.
     */
    public String clientBuildingIdentity() {
        return String.join("|", String.valueOf(region), String.valueOf(accessKey),
                String.valueOf(useDefaultCredentialsProvider), String.valueOf(useProfileCredentialsProvider),
                String.valueOf(profileCredentialsName), String.valueOf(useSessionCredentials),
                overrideEndpoint ? String.valueOf(uriEndpointOverride) : "aws", String.valueOf(proxyHost),
                String.valueOf(proxyPort), String.valueOf(proxyProtocol), String.valueOf(trustAllCertificates),
                String.valueOf(retryMode), String.valueOf(maxAttempts), String.valueOf(apiCallTimeout),
                String.valueOf(apiCallAttemptTimeout));
    }

    public boolean hasClientBuildingOptions() {
        return region != null || accessKey != null || secretKey != null || sessionToken != null
                || useDefaultCredentialsProvider || useProfileCredentialsProvider || useSessionCredentials
                || overrideEndpoint || proxyHost != null || trustAllCertificates
                || retryMode != null || maxAttempts != null || apiCallTimeout > 0 || apiCallAttemptTimeout > 0;
    }

    public long getThrottlingTimeout() {
        return throttlingTimeout;
    }

    /**
     * How long a report that Step Functions throttles keeps being sent again before its exchange fails with the
     * ThrottlingException; every report is sent at least once, however long it waited for its turn. Each API
     * (SendTaskFailure, SendTaskSuccess, SendTaskHeartbeat) has a quota of its own, a token bucket per account and
     * region, shared by every worker: a burst beyond it lands at the bucket's refill rate (500/s in us-east-1, us-west-2
     * and eu-west-1, 300/s elsewhere, less a fleet's other workers). Throttled reports wait, without holding a thread,
     * and are paced at the rate the service admits, by one pacer per quota for the whole application: endpoints that
     * share a client, or the same credentials, region and service endpoint, are paced as one. The default of 5 minutes
     * absorbs a burst of tens of thousands of reports; past it the route's redelivery or dead letter channel takes over.
     * A plain number is milliseconds, and one under a second is refused as a likely mistake (write 5m, or 500ms).
     */
    public void setThrottlingTimeout(long throttlingTimeout) {
        this.throttlingTimeout = throttlingTimeout;
        setOptions.add("throttlingTimeout");
    }

    /**
     * The least HTTP read timeout the client the endpoint builds must have, or null for the HTTP client's default; not
     * an option (the activity consumer's long polls need one above the service's 60 s hold).
     */
    public java.time.Duration minimumReadTimeout() {
        return null;
    }

    /**
     * The least number of connections the client the endpoint builds must allow at once, or 0 for the HTTP client's
     * default (50, as many as the pacer lets answers into flight); not an option (the activity consumer's long polls
     * each hold one).
     */
    public int minimumConnections() {
        return 0;
    }

    /**
     * Whether this option was given a value here (through its setter, as camel-main, Spring Boot and Java code do), as
     * against holding its default.
     */
    public boolean isSet(String option) {
        return setOptions.contains(option);
    }

    /** Notes that this option was given a value here: for the setters of a shared option a subclass adds. */
    protected final void markSet(String option) {
        setOptions.add(option);
        fromSharedOptions.remove(option);
    }

    /** Notes that this option's value came from camel.component.aws-sfn.*, not from the endpoint or its component. */
    void markFromSharedOptions(String option) {
        fromSharedOptions.add(option);
    }

    /** Whether this option's value came from camel.component.aws-sfn.* (and was not set again since). */
    protected final boolean isFromSharedOptions(String option) {
        return fromSharedOptions.contains(option);
    }

    public SfnTaskConfiguration copy() {
        try {
            SfnTaskConfiguration copy = (SfnTaskConfiguration) super.clone();
            copy.setOptions = new HashSet<>(setOptions);
            copy.fromSharedOptions = new HashSet<>(fromSharedOptions);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
