package io.github.sfnfail.camel;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Reports the exchange's failure to Step Functions with SendTaskFailure. Asynchronous: with an asynchronous client no
 * Camel thread waits for the answer.
 */
public class SfnFailProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SfnFailProducer.class);

    private final TaskFailureRequestFactory requestFactory;
    private final boolean ignoreClosedTask;
    private WritableHealthCheckRepository healthCheckRepository;
    private SfnFailProducerHealthCheck healthCheck;

    public SfnFailProducer(SfnFailEndpoint endpoint) {
        super(endpoint);
        this.requestFactory = new TaskFailureRequestFactory(endpoint.getConfiguration());
        this.ignoreClosedTask = endpoint.getConfiguration().isIgnoreClosedTask();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // optional: only when producer health checks are on (camel.health.producers-enabled=true)
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new SfnFailProducerHealthCheck(getEndpoint(), getEndpoint().getId());
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
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
    public SfnFailEndpoint getEndpoint() {
        return (SfnFailEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        SendTaskFailureRequest request;
        CompletableFuture<SendTaskFailureResponse> answer;
        try {
            request = requestFactory.create(exchange);
            if (LOG.isDebugEnabled()) {
                LOG.debug("Sending SendTaskFailure for task {} with error {}", TaskTokens.mask(request.taskToken()),
                        request.error());
            }
            answer = getEndpoint().getClient().sendTaskFailure(request);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (answer.isDone()) {
            completeSafely(exchange, request, answer);
            callback.done(true);
            return true;
        }
        answer.whenComplete((response, error) -> {
            try {
                completeSafely(exchange, request, answer);
            } finally {
                // whatever happens, the exchange must go on: a lost callback would hang the route
                callback.done(false);
            }
        });
        return false;
    }

    private void completeSafely(
            Exchange exchange, SendTaskFailureRequest request, CompletableFuture<SendTaskFailureResponse> answer) {
        try {
            complete(exchange, request, answer);
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
    }

    private void complete(
            Exchange exchange, SendTaskFailureRequest request, CompletableFuture<SendTaskFailureResponse> answer) {
        String token = request.taskToken();
        SendTaskFailureResponse response;
        try {
            response = answer.join();
        } catch (RuntimeException e) {
            Throwable error = SendTaskFailureErrors.explain(e, token);
            if (ignoreClosedTask && error instanceof TaskTimedOutException) {
                LOG.info("Task {} was already closed (timed out, or already completed or failed): its failure report "
                         + "is not needed (ignoreClosedTask=true)",
                        TaskTokens.mask(token));
                exchange.getMessage().setHeader(SfnFailConstants.TASK_CLOSED, Boolean.TRUE);
                return;
            }
            LOG.debug("SendTaskFailure for task {} failed: {}", TaskTokens.mask(token), error.getMessage());
            exchange.setException(error);
            return;
        }
        Message message = exchange.getMessage();
        message.setBody(response);
        message.setHeader(SfnFailConstants.REQUEST_ID, response.responseMetadata().requestId());
        LOG.debug("Reported the failure of task {} (request id {})", TaskTokens.mask(token),
                response.responseMetadata().requestId());
    }
}
