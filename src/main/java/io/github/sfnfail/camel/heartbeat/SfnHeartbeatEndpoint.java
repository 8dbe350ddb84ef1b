package io.github.sfnfail.camel.heartbeat;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.SfnAnswerEndpoint;
import io.github.sfnfail.camel.engine.HeartbeatKeeper;
import io.github.sfnfail.camel.engine.TaskWatch;
import io.github.sfnfail.camel.engine.TaskCall;
import org.apache.camel.Category;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;

/**
 * Tell AWS Step Functions a task is still being worked on (SendTaskHeartbeat), so that a task with HeartbeatSeconds
 * does not time out while a long job runs; with a period, for as long as the exchange runs.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-heartbeat", title = "AWS Step Functions Task Heartbeat",
             syntax = "aws-sfn-heartbeat:label", producerOnly = true,
             category = { Category.CLOUD, Category.SERVERLESS }, headersClass = SfnConstants.class)
public class SfnHeartbeatEndpoint extends SfnAnswerEndpoint {

    @UriParam
    private SfnHeartbeatConfiguration configuration;

    /** The tasks kept alive now: stopped with the endpoint. */
    private final Set<HeartbeatKeeper> keepers = ConcurrentHashMap.newKeySet();

    public SfnHeartbeatEndpoint(String uri, SfnHeartbeatComponent component, SfnHeartbeatConfiguration configuration) {
        super(uri, component, TaskCall.HEARTBEAT);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new SfnHeartbeatProducer(this);
    }

    @Override
    protected void checkOptions() {
        if (configuration.getPeriod() < 0) {
            throw new IllegalArgumentException("period must not be negative, not " + configuration.getPeriod());
        }
    }

    @Override
    public CompletableFuture<?> probe(String token) {
        return getUnpacedClient().send(TaskCall.HEARTBEAT, SendTaskHeartbeatRequest.builder().taskToken(token).build());
    }

    /** Heartbeats every period for this exchange's task until the exchange completes, unless that is done already. */
    void keepAlive(Exchange exchange, SendTaskHeartbeatRequest request, long periodMillis) {
        HeartbeatKeeper keeper = new HeartbeatKeeper(this, TaskWatch.of(getCamelContext()), request, periodMillis,
                new HeartbeatKeeper.Observer() {
                    @Override
                    public void stopped(HeartbeatKeeper stopped) {
                        keepers.remove(stopped);
                    }
                }).telling(exchange);
        keepers.add(keeper);
        if (keeper.start()) {
            keeper.untilDone(exchange);
        } else {
            // a loop around this endpoint, or the activity consumer's heartbeatPeriod: the task is kept alive already
            keepers.remove(keeper);
        }
    }

    @ManagedAttribute(description = "Tasks this endpoint keeps alive now with a heartbeat every period")
    public int getTasksKeptAlive() {
        return keepers.size();
    }

    @Override
    protected void doStop() throws Exception {
        new ArrayList<>(keepers).forEach(HeartbeatKeeper::stop);
        super.doStop();
    }

    @Override
    public SfnHeartbeatConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options of this endpoint.
     */
    public void setConfiguration(SfnHeartbeatConfiguration configuration) {
        this.configuration = configuration;
    }
}
