package io.github.sfnfail.camel.success;

import io.github.sfnfail.camel.engine.AnswerProducer;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskTokenSource;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;

/**
 * Reports the task's result to Step Functions with SendTaskSuccess: the message body is the output; the body becomes
 * the SDK's response.
 */
public class SfnSuccessProducer extends AnswerProducer<SendTaskSuccessRequest, SendTaskSuccessResponse> {

    private final SuccessOutput output = new SuccessOutput();
    private final String optionToken;

    public SfnSuccessProducer(SfnSuccessEndpoint endpoint) {
        super(endpoint, TaskCall.SUCCESS);
        this.optionToken = endpoint.getConfiguration().getTaskToken();
    }

    @Override
    protected SendTaskSuccessRequest createRequest(Exchange exchange) {
        String token = TaskTokenSource.resolve(exchange.getMessage(), optionToken);
        return SendTaskSuccessRequest.builder().taskToken(token).output(output.from(exchange)).build();
    }

    @Override
    protected void landed(Exchange exchange, SendTaskSuccessRequest request, SendTaskSuccessResponse response,
                          boolean kmsFallback) {
        exchange.getMessage().setBody(response);
    }
}
