package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * The one path every answer takes from an exchange to Step Functions and back, asynchronous (with an asynchronous
 * client no Camel thread waits for the reply): the scheme's request, refused before any call when Step Functions
 * would refuse it; then sent, paced, with the outcome rules; then the exchange completed, whatever happens, with the
 * reply, the closed task or the error, counted. A scheme's producer only says how it makes its request and what a
 * landed reply does to the message.
 */
public abstract class AnswerProducer<R extends SfnRequest, S extends SfnResponse> extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerProducer.class);

    private final TaskCall<R, S> call;
    private final AnswerChannel channel;
    private final AnswerTally counters;
    private final TaskWatch watch;

    protected <E extends Endpoint & AnswerChannel> AnswerProducer(E endpoint, TaskCall<R, S> call) {
        super(endpoint);
        this.call = call;
        this.channel = endpoint;
        this.counters = endpoint.tally();
        this.watch = TaskWatch.of(endpoint.getCamelContext());
    }

    /**
     * The request for this exchange, checked against the limits of Step Functions.
     *
     * @throws InvalidTaskAnswerException when Step Functions would refuse it; nothing is sent and the message is left
     *                                    as it was
     */
    protected abstract R createRequest(Exchange exchange);

    /** The request to send once more when KMS refuses the first, or null when the scheme has no fallback. */
    protected UnaryOperator<R> kmsFallback() {
        return null;
    }

    /** What a reply that landed does to the message; the request id header is already set. */
    protected abstract void landed(Exchange exchange, R request, S response, boolean kmsFallback);

    /** What an answer that found its task closed, and is done, does to the message. */
    protected void closed(Exchange exchange, R request) {
        exchange.getMessage().setHeader(TaskHeaders.TASK_CLOSED, Boolean.TRUE);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        R request;
        try {
            request = createRequest(exchange);
        } catch (InvalidTaskAnswerException e) {
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
            LOG.debug("Sending {} for task {}", call.api(), TaskTokens.mask(call.token().apply(request)));
        }
        counters.countSent();
        CompletableFuture<Result<S>> result = call.closesTask()
                ? quietThenSend(exchange, request) : send(exchange, request);
        if (result.isDone()) {
            completeSafely(exchange, request, result);
            callback.done(true);
            return true;
        }
        // the route goes on on the thread that completed the call: Camel's AwsSfnReply threads with the client the
        // endpoint builds, the client's future completion executor with one of the application's
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

    /**
     * A closing answer goes once the task's heartbeat keeper, whichever route or consumer runs it, is paused and its
     * heartbeat on the way came back: no heartbeat follows the answer on the wire.
     */
    private CompletableFuture<Result<S>> quietThenSend(Exchange exchange, R request) {
        CompletableFuture<Void> quiet = watch.pause(call.token().apply(request));
        if (quiet.isDone()) {
            return send(exchange, request);
        }
        return quiet.thenCompose(ignored -> send(exchange, request));
    }

    private CompletableFuture<Result<S>> send(Exchange exchange, R request) {
        try {
            boolean earlierDeliveryUnknown = TaskMarks.UNKNOWN_OUTCOME.isMarked(exchange, call.token().apply(request));
            return channel.send(call, request, earlierDeliveryUnknown, kmsFallback());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void completeSafely(Exchange exchange, R request, CompletableFuture<Result<S>> result) {
        try {
            complete(exchange, request, result.join());
        } catch (RuntimeException e) {
            Throwable error = CallOutcomes.unwrap(e);
            counters.countFailed(error);
            exchange.setException(error);
            resumeHeartbeats(exchange, call.token().apply(request));
        }
    }

    /** A closing answer failed: the task is still open as far as the route knows, its work goes on, and so do its beats. */
    private void resumeHeartbeats(Exchange exchange, String token) {
        if (call.closesTask()) {
            watch.resume(token);
        }
    }

    private void complete(Exchange exchange, R request, Result<S> result) {
        String token = call.token().apply(request);
        counters.countResult(result);
        if (result.error() != null) {
            if (result.unknownOutcome()) {
                // a redelivery of this answer that finds the task closed will know this attempt may have landed
                TaskMarks.UNKNOWN_OUTCOME.mark(exchange, token);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} for task {} failed: {}", call.api(), TaskTokens.mask(token), result.error().getMessage());
            }
            exchange.setException(result.error());
            resumeHeartbeats(exchange, token);
            return;
        }
        TaskMarks.UNKNOWN_OUTCOME.clear(exchange, token);
        if (call.closesTask()) {
            // answered: an activity worker that holds this task does not answer it again, and nobody keeps it alive
            // any more
            watch.answered(token);
        }
        if (result.closure() != Closure.NONE) {
            closed(exchange, request);
            return;
        }
        S response = result.response();
        String requestId = response.responseMetadata().requestId();
        exchange.getMessage().setHeader(TaskHeaders.REQUEST_ID, requestId);
        landed(exchange, request, response, result.kmsFallback());
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} for task {} landed (request id {})", call.api(), TaskTokens.mask(token), requestId);
        }
    }
}
