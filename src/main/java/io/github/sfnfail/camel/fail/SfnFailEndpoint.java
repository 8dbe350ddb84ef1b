package io.github.sfnfail.camel.fail;

import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.SfnAnswerEndpoint;
import io.github.sfnfail.camel.engine.TaskCall;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * Report a failed task to AWS Step Functions (SendTaskFailure), so that the state machine's Catch or Retry takes over
 * instead of the execution waiting for its timeout.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-fail", title = "AWS Step Functions Task Failure",
             syntax = "aws-sfn-fail:label", producerOnly = true, category = { Category.CLOUD, Category.SERVERLESS },
             headersClass = SfnConstants.class)
public class SfnFailEndpoint extends SfnAnswerEndpoint {

    @UriParam
    private SfnFailConfiguration configuration;

    public SfnFailEndpoint(String uri, SfnFailComponent component, SfnFailConfiguration configuration) {
        super(uri, component, TaskCall.FAILURE);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new SfnFailProducer(this);
    }

    @Override
    protected void checkOptions() {
        new FailureRequestFactory(configuration, getCounters()).checkOptions();
    }

    @Override
    public CompletableFuture<?> probe(String token) {
        return getUnpacedClient().send(TaskCall.FAILURE,
                SendTaskFailureRequest.builder().taskToken(token).error("CamelHealthCheck").build());
    }

    @Override
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
