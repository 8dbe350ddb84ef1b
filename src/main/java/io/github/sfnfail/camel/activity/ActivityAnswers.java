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
import io.github.sfnfail.camel.engine.StopDeadline;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.engine.TaskWatch;
import io.github.sfnfail.camel.fail.ExceptionReport;
import io.github.sfnfail.camel.fail.FailureRequestFactory;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.success.SuccessOutput;
import org.apache.camel.CamelContext;
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
 * The answer to an activity task, through the engine every scheme shares: SendTaskSuccess with the body as output by
 * the rules of aws-sfn-success, SendTaskFailure from the headers or the failure by the rules of aws-sfn-fail, paced.
 * <p>
 * The task was handed to this worker alone, so its answer is not given up lightly: an answer that fails for a passing
 * reason (no connection from the pool, the network, a 5xx, throttling past throttlingTimeout) is sent again, waiting
 * longer each time, until it lands or the task is found closed, and the task's heartbeats go on between the tries (a
 * spell of throttling longer than HeartbeatSeconds would otherwise time the finished task out); before each try they
 * are paused and the one on its way awaited, and after the answer lands none follows. Output that cannot be sent, or a
 * success answer Step Functions refuses for good (InvalidOutput, KMS), fails the task instead, saying why. Only an
 * answer that fails for good is logged at ERROR and counted as lost. Each answer goes through the client its task
 * holds, so that it lands whatever stopped meanwhile; once that client's endpoint has stopped, an answer is sent again
 * for at most {@value #AFTER_STOP_MILLIS} ms, and during a context stop at most until the stop's deadline.
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

    private final SuccessOutput output = new SuccessOutput();
    private final ActivityCounters counters;
    private final TaskWatch watch;
    private final StopDeadline deadline;

    ActivityAnswers(ActivityCounters counters, CamelContext context) {
        this.counters = counters;
        this.watch = TaskWatch.of(context);
        this.deadline = StopDeadline.of(context);
    }

    /** Answers a task whose route is done with it, as its outcome says; completes once done, whatever happened. */
    CompletableFuture<Void> answer(ActivityTask task, TaskOutcome outcome, Exchange exchange) {
        try {
            return switch (outcome.kind()) {
                case ANSWERED_BY_ROUTE -> {
                    counters.countAnsweredByRoute();
                    yield CompletableFuture.completedFuture(null);
                }
                case CLOSED -> {
                    // a heartbeat found this task closed and said so at INFO: nobody waits for an answer
                    counters.countClosedByService();
                    yield CompletableFuture.completedFuture(null);
                }
                case LEFT_TO_ROUTE -> CompletableFuture.completedFuture(null);
                case SUCCEED -> succeed(exchange, task);
                case FAIL -> {
                    if (outcome.handled()) {
                        LOG.info("The route's error handling took {} off the exchange of activity task {}, and the route "
                                 + "did not answer the task itself: failing it (failOnCaughtException=true)",
                                outcome.failure().getClass().getName(), TaskTokens.mask(task.token()));
                    }
                    yield fail(exchange, task, outcome.failure());
                }
                case ROLLED_BACK -> rolledBack(exchange, task);
            };
        } catch (RuntimeException e) {
            lost(task.token(), e);
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
            return fail(exchange, task, null);
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
                    TaskTokens.mask(token), CallOutcomes.describe(refused));
            return deliverFailure(derivedFailure(token, refused), task);
        }
        return new Delivery<>(TaskCall.SUCCESS, SendTaskSuccessRequest.builder().taskToken(token).output(json).build(),
                null, task).start();
    }

    private CompletableFuture<Void> fail(Exchange exchange, ActivityTask task, Throwable failure) {
        String token = task.token();
        // the report is about this task, whatever the route did with the header
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
        SendTaskFailureRequest request;
        try {
            request = new FailureRequestFactory(new SfnFailConfiguration(), task.resources().tally())
                    .create(exchange, failure);
        } catch (RuntimeException refused) {
            LOG.warn("The failure report of activity task {} cannot be sent as the route set it ({}): reporting the "
                     + "refusal instead", TaskTokens.mask(token), CallOutcomes.describe(refused));
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
                  + "TimeoutSeconds pass ({})", TaskTokens.mask(token), CallOutcomes.describe(error), error);
    }

    /**
     * One answer to one task, sent again after passing failures until it lands, the task is closed, or it fails for
     * good; the task's heartbeats paused during each try and going on between them.
     */
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

        /** No heartbeat follows the answer on the wire: the one on its way comes back first. */
        private void send() {
            watch.pause(token).whenComplete((quiet, error) -> sendNow());
        }

        private void sendNow() {
            channel.tally().countSent();
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
                    finish();
                }
            });
        }

        private void finish() {
            // answered, closed, or given up: nobody keeps the task alive any more
            watch.stopKeepers(token);
            done.complete(null);
        }

        private void settle(Result<S> result, Throwable error) {
            Throwable failure = error != null ? CallOutcomes.unwrap(error) : result.error();
            if (error != null) {
                channel.tally().countFailed(failure);
            } else {
                channel.tally().countResult(result);
            }
            if (failure == null) {
                task.settled(true);
                landed(result.closure());
            } else if (CallOutcomes.isClosedTask(failure)) {
                task.settled(true);
                if (task.isLeftBehind()) {
                    // a lost task closed meanwhile (it timed out, or a Retry already handed it on): dropped quietly
                    LOG.debug("Activity task {} left behind by a worker that ended abruptly was closed already",
                            TaskTokens.mask(token));
                } else {
                    LOG.info("Activity task {} was closed before its {} (it timed out, or its execution was stopped): "
                             + "nobody waits for it", TaskTokens.mask(token), call.noun());
                }
                counters.countClosedByService();
            } else if (CallOutcomes.isPassing(failure)) {
                if (retryLater(failure, result)) {
                    return;
                }
                // the endpoint stopped long enough ago, or the stop's deadline passed: nothing can be sent any more
                lost(token, failure);
            } else if (call == TaskCall.SUCCESS && failureMayLand(failure)) {
                LOG.warn("Step Functions refused the success report of activity task {} ({}): failing the task "
                         + "instead", TaskTokens.mask(token), CallOutcomes.describe(failure));
                deliverFailure(derivedFailure(token, failure), task).whenComplete((ok, e) -> finish());
                return;
            } else {
                // a token Step Functions does not know can never be answered; another refusal may pass later
                task.settled(!failureMayLand(failure));
                lost(token, failure);
            }
            finish();
        }

        private void landed(Closure closure) {
            if (closure == Closure.CLOSED) {
                counters.countClosedByService();
                return;
            }
            if (call == TaskCall.SUCCESS) {
                counters.countSucceeded();
            } else if (task.isLeftBehind()) {
                counters.countLostFailed();
            } else {
                counters.countFailed();
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Answered activity task {} with {}", TaskTokens.mask(token), call.api());
            }
        }

        /** @return whether the answer goes again later; false when it may not be sent any more */
        private boolean retryLater(Throwable failure, Result<S> result) {
            ScheduledExecutorService scheduler = channel.scheduler();
            if (scheduler == null || windowIsOver()) {
                return false;
            }
            long wait = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(retries, 16));
            wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
            retries++;
            earlierUnknown |= result != null && result.unknownOutcome();
            if (retries == 1) {
                LOG.warn("The {} of activity task {} failed for a passing reason ({}): sending it again, waiting up to "
                         + "{} s between tries, until it lands or the task is closed", call.noun(),
                        TaskTokens.mask(token), CallOutcomes.describe(failure), MAX_RETRY_MILLIS / 1000);
            } else {
                LOG.debug("The {} of activity task {} failed again ({}); try {} in {} ms", call.noun(),
                        TaskTokens.mask(token), CallOutcomes.describe(failure), retries + 1, wait);
            }
            // the work is done but not answered: the task must not time out on HeartbeatSeconds meanwhile
            watch.resume(token);
            try {
                scheduler.schedule(this::send, wait, TimeUnit.MILLISECONDS);
                return true;
            } catch (RejectedExecutionException stopping) {
                return false;
            }
        }

        /** Whether the answer may not be sent again: its endpoint stopped too long ago, or a context stop's deadline passed. */
        private boolean windowIsOver() {
            if (deadline.isStopping()) {
                return deadline.millisLeft() == 0;
            }
            return channel.isRetired() && channel.retiredForMillis() > AFTER_STOP_MILLIS;
        }
    }
}
