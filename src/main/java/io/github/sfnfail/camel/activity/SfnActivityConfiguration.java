package io.github.sfnfail.camel.activity;

import java.time.Duration;

import io.github.sfnfail.camel.SfnTaskConfiguration;
import io.github.sfnfail.camel.engine.ThrottlePacer;
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
    private String workerName;
    @UriParam(label = "consumer", javaType = "java.time.Duration")
    private long heartbeatPeriod;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean autoAnswer = true;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean failOnCaughtException = true;
    @UriParam(label = "consumer,advanced", defaultValue = "50")
    private int clientConnections = DEFAULT_CLIENT_CONNECTIONS;

    public int getConcurrentPollers() {
        return concurrentPollers;
    }

    /**
     * How many long polls (GetActivityTask) the consumer keeps open at once, and so how many tasks it has in hand at
     * most: a poller polls again only when the task it brought has been run and answered, so no task is taken that the
     * route cannot start at once (a task left waiting burns its timeout). Open polls hold no thread, so 100 (what AWS
     * recommends for production workers) is cheap with the client the component builds, which has a connection for
     * each poll besides 50 for answers. A client from the registry has only the connections it was built with (see
     * clientConnections): there the consumer opens at most as many polls as leave connections for the answers, and
     * says so at start. A task in hand runs on a thread of the consumer's own pool, which has one thread per poller at
     * most. Step Functions allows 1000 pollers per activity.
     */
    public void setConcurrentPollers(int concurrentPollers) {
        this.concurrentPollers = concurrentPollers;
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
     * While a task's exchange runs, send SendTaskHeartbeat every period (a plain number is milliseconds), holding no
     * thread; choose it well under the task's HeartbeatSeconds. A heartbeat answered TaskTimedOut (the execution was
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

    /**
     * How many polls may be open at once through a client from the registry with clientConnections connections: all
     * but those kept for answers and heartbeats (a fifth, at least 1, at most 10).
     */
    int pollsWithinClientConnections() {
        int keptForAnswers = Math.max(1, Math.min(10, clientConnections / 5));
        return clientConnections - keptForAnswers;
    }

    @Override
    public Duration minimumReadTimeout() {
        return POLL_TIMEOUT;
    }

    /** A connection per open poll, beside those the answers use. */
    @Override
    public int minimumConnections() {
        return concurrentPollers + ThrottlePacer.MAX_IN_FLIGHT;
    }

    @Override
    public SfnActivityConfiguration copy() {
        return (SfnActivityConfiguration) super.copy();
    }
}
