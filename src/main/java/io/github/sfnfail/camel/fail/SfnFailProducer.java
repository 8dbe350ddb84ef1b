package io.github.sfnfail.camel.fail;

import java.util.function.UnaryOperator;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.AnswerProducer;
import io.github.sfnfail.camel.engine.TaskCall;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;

/**
 * Reports the exchange's failure to Step Functions with SendTaskFailure; the body becomes the SDK's response.
 */
public class SfnFailProducer extends AnswerProducer<SendTaskFailureRequest, SendTaskFailureResponse> {

    private final FailureRequestFactory requestFactory;
    private final boolean kmsFallback;

    public SfnFailProducer(SfnFailEndpoint endpoint) {
        super(endpoint, TaskCall.FAILURE);
        this.requestFactory = new FailureRequestFactory(endpoint.getConfiguration(), endpoint.getCounters());
        this.kmsFallback = endpoint.getConfiguration().isKmsFallback();
    }

    @Override
    protected SendTaskFailureRequest createRequest(Exchange exchange) {
        return requestFactory.create(exchange);
    }

    @Override
    protected UnaryOperator<SendTaskFailureRequest> kmsFallback() {
        return kmsFallback ? FailureRequestFactory::withoutDetails : null;
    }

    @Override
    protected void landed(Exchange exchange, SendTaskFailureRequest request, SendTaskFailureResponse response,
                          boolean kmsFallback) {
        exchange.getMessage().setBody(response);
        if (kmsFallback) {
            exchange.getMessage().setHeader(SfnConstants.KMS_FALLBACK, Boolean.TRUE);
        }
    }
}
