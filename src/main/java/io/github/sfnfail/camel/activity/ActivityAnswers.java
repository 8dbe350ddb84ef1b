package io.github.sfnfail.camel.activity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import io.github.sfnfail.camel.engine.CallOutcomes;
import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.fail.ExceptionReport;
import io.github.sfnfail.camel.fail.FailureRequestFactory;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.AnswerCounters;
import io.github.sfnfail.camel.success.SuccessOutput;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;

/**
 * The answer to an activity task when its exchange completes, through the engine every scheme shares: SendTaskSuccess
 * with the body as output by the rules of aws-sfn-success, SendTaskFailure from the exception (or the exception the
 * route caught) by the rules of aws-sfn-fail, paced; nothing when the route answered the task itself, when automatic
 * answers are off, or when a heartbeat found the task closed.
 * <p>
 * The task was handed to this worker alone, so its answer is not given up lightly: an answer that fails for a passing
 * reason (no connection from the pool, the network, a 5xx, throttling past throttlingTimeout) is sent again, waiting
 * longer each time, until it lands or the task is found closed; output that cannot be sent, or a success answer Step
 * Functions refuses for good (InvalidOutput, KMS), fails the task instead, saying why. Only an answer that fails for good
 * is logged at ERROR and counted as lost. Each answer goes through the client its task holds, so that it lands whatever
 * stopped meanwhile; once the endpoint has stopped, an answer is sent again for at most {@value #AFTER_STOP_MILLIS} ms.
 */
final class ActivityAnswers {

    /** The first wait before an answer is sent again; it doubles up to {@value #MAX_RETRY_MILLIS} ms. */
    static final long FIRST_RETRY_MILLIS = 500;
    static final long MAX_RETRY_MILLIS = 30_000;
    /** How long an answer that fails for a passing reason is sent again once its endpoint has stopped. */
    static final long AFTER_STOP_MILLIS = 60_000;
    /** The error name of a task whose exchange the route marked for rollback without an exception. */
    static final String ROLLED_BACK = "AwsSfnActivity.RolledBack";

    private static final Logger LOG = LoggerFactory.getLogger(ActivityAnswers.class);

    private final boolean autoAnswer;
    private final boolean failOnCaughtException;
    private final SuccessOutput output = new SuccessOutput();
    private final FailureRequestFactory failures;
    private final AnswerCounters answers;
    private final ActivityCounters counters;

    ActivityAnswers(SfnActivityEndpoint endpoint) {
        this.autoAnswer = endpoint.getConfiguration().isAutoAnswer();
        this.failOnCaughtException = endpoint.getConfiguration().isFailOnCaughtException();
        this.answers = endpoint.getCounters();
        this.counters = endpoint.getActivityCounters();
        this.failures = new FailureRequestFactory(new SfnFailConfiguration(), answers);
    }

    /** Answers the task of this completed exchange; the future completes once it is done, whatever happened. */
    CompletableFuture<Void> answer(Exchange exchange, ActivityTask task) {
        String token = task.token();
        if (!autoAnswer) {
            return CompletableFuture.completedFuture(null);
        }
        if (TaskMarks.ANSWERED.isMarked(exchange, token)) {
            counters.countAnsweredByRoute();
            return CompletableFuture.completedFuture(null);
        }
        if (TaskMarks.CLOSED.isMarked(exchange, token)) {
            // a heartbeat found this task closed and said so at INFO: nobody waits for an answer
            counters.countClosedByService();
            return CompletableFuture.completedFuture(null);
        }
        try {
            if (exchange.getException() != null) {
                return fail(exchange, task);
            }
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            if (failOnCaughtException && caught != null) {
                LOG.info("The route caught {} while it ran activity task {} and did not answer the task itself: "
                         + "failing it (failOnCaughtException=true)", caught.getClass().getName(),
                        TaskTokens.mask(token));
                return fail(exchange, task);
            }
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                return rolledBack(exchange, task);
            }
            return succeed(exchange, task);
        } catch (RuntimeException e) {
            lost(token, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Fails the task without running it (or without waiting for the route), with this error name and cause. */
    CompletableFuture<Void> refuse(ActivityTask task, String error, String cause) {
        return deliverFailure(SendTaskFailureRequest.builder().taskToken(task.token()).error(error).cause(cause).build(),
                task);
    }

    /**
     * The route marked the exchange for rollback (markRollbackOnly, rollback without an exception): the work was not
     * done, so the task fails, with the error and cause the route set, else {@value #ROLLED_BACK}.
     */
    private CompletableFuture<Void> rolledBack(Exchange exchange, ActivityTask task) {
        LOG.info("The route marked the exchange of activity task {} for rollback: failing the task",
                TaskTokens.mask(task.token()));
        Object error = exchange.getMessage().getHeader(SfnConstants.ERROR);
        Object cause = exchange.getMessage().getHeader(SfnConstants.CAUSE);
        if (error != null || cause != null) {
            return fail(exchange, task);
        }
        return refuse(task, ROLLED_BACK, "The Camel route marked the exchange for rollback (markRollbackOnly) "
                                         + "without an exception: the work was not done");
    }

    private CompletableFuture<Void> succeed(Exchange exchange, ActivityTask task) {
        String token = task.token();
        String json;
        try {
            json = output.from(exchange);
        } catch (RuntimeException refused) {
            // not JSON, too large, a stream that throws, a body with no JSON form: it could never land, so the task
            // fails with why rather than hang
            LOG.warn("The output of activity task {} cannot be sent ({}): failing the task instead",
                    TaskTokens.mask(token), refused.getMessage());
            return deliverFailure(derivedFailure(token, refused), task);
        }
        return new Delivery<>(TaskCall.SUCCESS, SendTaskSuccessRequest.builder().taskToken(token).output(json).build(),
                null, task).start();
    }

    private CompletableFuture<Void> fail(Exchange exchange, ActivityTask task) {
        String token = task.token();
        // the report is about this task, whatever the route did with the header
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
        SendTaskFailureRequest request;
        try {
            request = failures.create(exchange);
        } catch (RuntimeException refused) {
            LOG.warn("The failure report of activity task {} cannot be sent as the route set it ({}): reporting the "
                     + "refusal instead", TaskTokens.mask(token), refused.getMessage());
            request = derivedFailure(token, refused);
        }
        return deliverFailure(request, task);
    }

    private CompletableFuture<Void> deliverFailure(SendTaskFailureRequest request, ActivityTask task) {
        return new Delivery<>(TaskCall.FAILURE, request, FailureRequestFactory::withoutDetails, task).start();
    }

    private static SendTaskFailureRequest derivedFailure(String token, Throwable why) {
        return SendTaskFailureRequest.builder().taskToken(token).error(ExceptionReport.errorName(why, 256))
                .cause(TaskTokens.redact(ExceptionReport.causeJson(why, 32_768), token)).build();
    }

    /**
     * Whether Step Functions refused a success answer for a reason a failure report does not share (InvalidOutput,
     * KMS, access to SendTaskSuccess alone): a token it does not know is refused either way.
     */
    private static boolean failureMayLand(Throwable refusal) {
        return !(refusal instanceof InvalidTokenException) && !(refusal instanceof TaskDoesNotExistException);
    }

    private void lost(String token, Throwable error) {
        counters.countAnswerLost();
        LOG.error("Could not answer activity task {}: its execution waits until the task's HeartbeatSeconds or "
                  + "TimeoutSeconds pass ({})", TaskTokens.mask(token), error.getMessage(), error);
    }

    /** One answer to one task, sent again after passing failures until it lands, the task is closed, or it fails for good. */
    private final class Delivery<R extends SfnRequest, S extends SfnResponse> {

        private final TaskCall<R, S> call;
        private final R request;
        private final UnaryOperator<R> kmsFallback;
        private final ActivityTask task;
        private final String token;
        private final CallResources channel;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int retries;
        /** An earlier delivery may have landed unanswered: a closed task then means it did. */
        private boolean earlierUnknown;

        Delivery(TaskCall<R, S> call, R request, UnaryOperator<R> kmsFallback, ActivityTask task) {
            this.call = call;
            this.request = request;
            this.kmsFallback = kmsFallback;
            this.task = task;
            this.token = task.token();
            this.channel = task.resources();
        }

        CompletableFuture<Void> start() {
            send();
            return done;
        }

        private void send() {
            answers.countSent();
            CompletableFuture<Result<S>> sent;
            try {
                sent = channel.send(call, request, earlierUnknown, kmsFallback);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((result, error) -> {
                try {
                    settle(result, error);
                } catch (RuntimeException e) {
                    lost(token, e);
                    done.complete(null);
                }
            });
        }

        private void settle(Result<S> result, Throwable error) {
            Throwable failure = error != null ? CallOutcomes.unwrap(error) : result.error();
            if (error != null) {
                answers.countFailed(failure);
            } else {
                answers.countResult(result);
            }
            if (failure == null) {
                landed(result.closure());
            } else if (CallOutcomes.isClosedTask(failure)) {
                LOG.info("Activity task {} was closed before its {} (it timed out, or its execution was stopped): "
                         + "nobody waits for it", TaskTokens.mask(token), call.noun());
                counters.countClosedByService();
            } else if (CallOutcomes.isPassing(failure)) {
                if (retryLater(failure, result)) {
                    return;
                }
                // the endpoint stopped: nothing can be sent any more
                lost(token, failure);
            } else if (call == TaskCall.SUCCESS && failureMayLand(failure)) {
                LOG.warn("Step Functions refused the success report of activity task {} ({}): failing the task "
                         + "instead", TaskTokens.mask(token), failure.getMessage());
                deliverFailure(derivedFailure(token, failure), task).whenComplete((ok, e) -> done.complete(null));
                return;
            } else {
                lost(token, failure);
            }
            done.complete(null);
        }

        private void landed(Closure closure) {
            if (closure == Closure.CLOSED) {
                counters.countClosedByService();
                return;
            }
            if (call == TaskCall.SUCCESS) {
                counters.countSucceeded();
            } else {
                counters.countFailed();
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Answered activity task {} with {}", TaskTokens.mask(token), call.api());
            }
        }

        /** @return whether the answer goes again later; false when the endpoint is stopped */
        private boolean retryLater(Throwable failure, Result<S> result) {
            ScheduledExecutorService scheduler = channel.scheduler();
            if (scheduler == null || channel.isRetired() && channel.retiredForMillis() > AFTER_STOP_MILLIS) {
                return false;
            }
            long wait = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(retries, 16));
            wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
            retries++;
            earlierUnknown |= result != null && result.unknownOutcome();
            if (retries == 1) {
                LOG.warn("The {} of activity task {} failed for a passing reason ({}): sending it again, waiting up to "
                         + "{} s between tries, until it lands or the task is closed", call.noun(),
                        TaskTokens.mask(token), failure.getMessage(), MAX_RETRY_MILLIS / 1000);
            } else {
                LOG.debug("The {} of activity task {} failed again ({}); try {} in {} ms", call.noun(),
                        TaskTokens.mask(token), failure.getMessage(), retries + 1, wait);
            }
            try {
                scheduler.schedule(this::send, wait, TimeUnit.MILLISECONDS);
                return true;
            } catch (RejectedExecutionException stopping) {
                return false;
            }
        }
    }
}
