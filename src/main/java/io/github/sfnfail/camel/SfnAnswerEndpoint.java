package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.observe.AnswerHealthCheck;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriPath;

/**
 * An endpoint whose producer answers tasks (aws-sfn-fail, aws-sfn-success, aws-sfn-heartbeat): named by a free label.
 */
public abstract class SfnAnswerEndpoint extends SfnTaskEndpoint {

    @UriPath
    @Metadata(required = true)
    private String label;

    private WritableHealthCheckRepository healthCheckRepository;
    private AnswerHealthCheck healthCheck;

    protected SfnAnswerEndpoint(String uri, Component component, TaskCall<?, ?> taskCall) {
        super(uri, component, taskCall);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // optional: only when producer health checks are on (camel.health.producers-enabled=true)
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new AnswerHealthCheck(this);
            healthCheck.setEnabled(getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        super.doStop();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getScheme() + " answers tasks: it has no consumer (aws-sfn-activity "
                                                + "works for an activity)");
    }

    public String getLabel() {
        return label;
    }

    /**
     * A name for the endpoint, free to choose (for example the worker or the state machine it answers); it only tells
     * endpoints apart.
     */
    public void setLabel(String label) {
        this.label = label;
    }
}
