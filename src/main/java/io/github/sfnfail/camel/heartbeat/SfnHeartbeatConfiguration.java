package io.github.sfnfail.camel.heartbeat;

import io.github.sfnfail.camel.SfnTaskConfiguration;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code aws-sfn-heartbeat}: how often to keep the task alive, beside the options every scheme shares.
 */
@UriParams
public class SfnHeartbeatConfiguration extends SfnTaskConfiguration {

    @UriParam(label = "producer", javaType = "java.time.Duration")
    private long period;

    public long getPeriod() {
        return period;
    }

    /**
     * When set, the producer sends one heartbeat at once and then one every period, until the exchange completes
     * (whether it succeeds or fails) or the task's success or failure report lands, holding no thread meanwhile; a plain
     * number is milliseconds, as for Camel's timer (for example 30s, or 30000), and one under a second is refused
     * (write 500ms). Choose it well under the task's
     * HeartbeatSeconds. One series keeps a task alive in the whole application: a loop around this endpoint,
     * another exchange on the same token, or the activity consumer's heartbeatPeriod adds no second one. A heartbeat answered TaskTimedOut (the execution stopped or timed out, or
     * the task was answered) stops them, logs an INFO line and sets the exchange property CamelAwsSfnTaskClosed to true,
     * so the route can give up. One that fails for a passing reason (throttled, 5xx, a network error) is retried and
     * paced, and never fails the exchange after the fact. They stop when the endpoint or the context stops. When not set
     * (0), each exchange sends one heartbeat.
     */
    public void setPeriod(long period) {
        this.period = period;
    }

    @Override
    public SfnHeartbeatConfiguration copy() {
        return (SfnHeartbeatConfiguration) super.copy();
    }
}
