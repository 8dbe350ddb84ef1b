package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskCall;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriPath;

/**
 * An endpoint whose producer answers tasks (aws-sfn-fail, aws-sfn-success, aws-sfn-heartbeat): named by a free label.
 */
public abstract class SfnAnswerEndpoint extends SfnTaskEndpoint {

    @UriPath
    @Metadata(required = true)
    private String label;

    protected SfnAnswerEndpoint(String uri, Component component, TaskCall<?, ?> taskCall) {
        super(uri, component, taskCall);
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
