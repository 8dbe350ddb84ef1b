package io.github.sfnfail.camel;

import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.FailureReportSender.Closure;
import io.github.sfnfail.camel.FailureReportSender.ReportResult;
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

/**
 * Reports the exchange's failure to Step Functions with SendTaskFailure. Asynchronous: with an asynchronous client no
 * Camel thread waits for the answer.
 */
public class SfnFailProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SfnFailProducer.class);

    private final TaskFailureRequestFactory requestFactory;
    private final FailureReportSender sender;
    private final ReportCounters counters;
    private WritableHealthCheckRepository healthCheckRepository;
    private SfnFailProducerHealthCheck healthCheck;

    public SfnFailProducer(SfnFailEndpoint endpoint) {
        super(endpoint);
        this.requestFactory = new TaskFailureRequestFactory(endpoint.getConfiguration(), endpoint.getCounters());
        this.counters = endpoint.getCounters();
        this.sender = new FailureReportSender(endpoint.getConfiguration());
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
        try {
            request = requestFactory.create(exchange);
        } catch (InvalidFailureReportException e) {
            counters.countRefused(e.part());
            exchange.setException(e);
            callback.done(true);
            return true;
        } catch (RuntimeException e) {
            // a header no type converter could turn into text, for example
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Sending SendTaskFailure for task {} with error {}", TaskTokens.mask(request.taskToken()),
                    request.error());
        }
        counters.countSent();
        CompletableFuture<ReportResult> result = send(exchange, request);
        if (result.isDone()) {
            completeSafely(exchange, request, result);
            callback.done(true);
            return true;
        }
        result.whenComplete((settled, error) -> {
            try {
                completeSafely(exchange, request, result);
            } finally {
                // whatever happens, the exchange must go on: a lost callback would hang the route
                callback.done(false);
            }
        });
        return false;
    }

    private CompletableFuture<ReportResult> send(Exchange exchange, SendTaskFailureRequest request) {
        try {
            return sender.send(getEndpoint().getClient(), request,
                    UnknownOutcomes.isMarked(exchange, request.taskToken()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void completeSafely(
            Exchange exchange, SendTaskFailureRequest request, CompletableFuture<ReportResult> result) {
        try {
            complete(exchange, request, result.join());
        } catch (RuntimeException e) {
            Throwable error = ReportOutcomes.unwrap(e);
            counters.countFailed(failureName(error));
            exchange.setException(error);
        }
    }

    private void complete(Exchange exchange, SendTaskFailureRequest request, ReportResult result) {
        String token = request.taskToken();
        Message message = exchange.getMessage();
        if (result.error() != null) {
            counters.countFailed(failureName(result.error()));
            if (result.unknownOutcome()) {
                // a redelivery of this report that finds the task closed will know this attempt may have landed
                UnknownOutcomes.mark(exchange, token);
            }
            LOG.debug("SendTaskFailure for task {} failed: {}", TaskTokens.mask(token), result.error().getMessage());
            exchange.setException(result.error());
            return;
        }
        UnknownOutcomes.clear(exchange, token);
        if (result.closure() != Closure.NONE) {
            counters.countClosed(result.closure() == Closure.CLOSED_BY_THIS_REPORT);
            message.setHeader(SfnFailConstants.TASK_CLOSED, Boolean.TRUE);
            return;
        }
        SendTaskFailureResponse response = result.response();
        counters.countLanded(response.responseMetadata().requestId(), result.kmsFallback());
        message.setBody(response);
        message.setHeader(SfnFailConstants.REQUEST_ID, response.responseMetadata().requestId());
        if (result.kmsFallback()) {
            message.setHeader(SfnFailConstants.KMS_FALLBACK, Boolean.TRUE);
        }
        LOG.debug("Reported the failure of task {} (request id {})", TaskTokens.mask(token),
                response.responseMetadata().requestId());
    }

    /** The AWS error code, or the exception's class when Step Functions did not answer. */
    private static String failureName(Throwable error) {
        String code = ReportOutcomes.errorCode(error);
        return code != null ? code : error.getClass().getSimpleName();
    }
}
