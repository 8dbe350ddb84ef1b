package io.github.sfnfail.camel.heartbeat;

import io.github.sfnfail.camel.engine.AnswerProducer;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskTokenSource;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;

/**
 * Tells Step Functions the task is still being worked on (SendTaskHeartbeat), leaving the message body as it is; with
 * a period, keeps doing so until the exchange completes.
 */
public class SfnHeartbeatProducer extends AnswerProducer<SendTaskHeartbeatRequest, SendTaskHeartbeatResponse> {

    private final SfnHeartbeatEndpoint endpoint;
    private final String optionToken;
    private final long period;

    public SfnHeartbeatProducer(SfnHeartbeatEndpoint endpoint) {
        super(endpoint, TaskCall.HEARTBEAT);
        this.endpoint = endpoint;
        this.optionToken = endpoint.getConfiguration().getTaskToken();
        this.period = endpoint.getConfiguration().getPeriod();
    }

    @Override
    protected SendTaskHeartbeatRequest createRequest(Exchange exchange) {
        return SendTaskHeartbeatRequest.builder()
                .taskToken(TaskTokenSource.resolve(exchange.getMessage(), optionToken)).build();
    }

    @Override
    protected void landed(Exchange exchange, SendTaskHeartbeatRequest request, SendTaskHeartbeatResponse response,
                          boolean kmsFallback) {
        // the body is the work's, in the middle of it
        if (period > 0) {
            endpoint.keepAlive(exchange, request, period);
        }
    }
}
