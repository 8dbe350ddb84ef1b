package io.github.sfnfail.camel.success;

import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.SfnTaskConfiguration;
import io.github.sfnfail.camel.SfnAnswerEndpoint;
import io.github.sfnfail.camel.engine.TaskCall;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/**
 * Report a task's result to AWS Step Functions (SendTaskSuccess): the message body is the task's output, and the
 * execution goes on with it.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "aws-sfn-success", title = "AWS Step Functions Task Success",
             syntax = "aws-sfn-success:label", producerOnly = true, category = { Category.CLOUD, Category.SERVERLESS },
             headersClass = SfnConstants.class)
public class SfnSuccessEndpoint extends SfnAnswerEndpoint {

    @UriParam
    private SfnTaskConfiguration configuration;

    public SfnSuccessEndpoint(String uri, SfnSuccessComponent component, SfnTaskConfiguration configuration) {
        super(uri, component, TaskCall.SUCCESS);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new SfnSuccessProducer(this);
    }

    @Override
    public CompletableFuture<?> probe(String token) {
        return getUnpacedClient().send(TaskCall.SUCCESS,
                SendTaskSuccessRequest.builder().taskToken(token).output("{}").build());
    }

    @Override
    public SfnTaskConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options of this endpoint.
     */
    public void setConfiguration(SfnTaskConfiguration configuration) {
        this.configuration = configuration;
    }
}
