package io.github.sfnfail.camel.activity;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.sfnfail.camel.InvalidTaskAnswerException;
import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.TaskTokens;
import io.github.sfnfail.camel.engine.AnswerSender.Closure;
import io.github.sfnfail.camel.engine.AnswerSender.Result;
import io.github.sfnfail.camel.engine.CallOutcomes;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.fail.ExceptionReport;
import io.github.sfnfail.camel.fail.FailureRequestFactory;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.observe.ActivityCounters;
import io.github.sfnfail.camel.observe.AnswerCounters;
import io.github.sfnfail.camel.success.SuccessOutput;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * The answer to an activity task when its exchange completes, through the engine every scheme shares: SendTaskSuccess
 * with the body as output by the rules of aws-sfn-success, SendTaskFailure from the exception by the rules of
 * aws-sfn-fail, retried and paced; nothing when the route answered the task itself, when automatic answers are off,
 * or when a heartbeat found the task closed. An answer that fails for good is logged at ERROR and counted.
 */
final class ActivityAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityAnswers.class);

    private final SfnActivityEndpoint endpoint;
    private final boolean autoAnswer;
    private final SuccessOutput output = new SuccessOutput();
    private final FailureRequestFactory failures;
    private final AnswerCounters answers;
    private final ActivityCounters counters;

    ActivityAnswers(SfnActivityEndpoint endpoint) {
        this.endpoint = endpoint;
        this.autoAnswer = endpoint.getConfiguration().isAutoAnswer();
        this.answers = endpoint.getCounters();
        this.counters = endpoint.getActivityCounters();
        this.failures = new FailureRequestFactory(new SfnFailConfiguration(), answers);
    }

    /** Answers the task of this completed exchange; the future completes once it is done, whatever happened. */
    CompletableFuture<Void> answer(Exchange exchange, String token) {
        if (!autoAnswer) {
            return CompletableFuture.completedFuture(null);
        }
        if (TaskMarks.ANSWERED.isMarked(exchange, token)) {
            counters.countAnsweredByRoute();
            return CompletableFuture.completedFuture(null);
        }
        if (Boolean.TRUE.equals(exchange.getProperty(SfnConstants.TASK_CLOSED, Boolean.class))) {
            // a heartbeat found it closed and said so at INFO: nobody waits for an answer
            counters.countClosedByService();
            return CompletableFuture.completedFuture(null);
        }
        try {
            return exchange.getException() == null ? succeed(exchange, token) : fail(exchange, token);
        } catch (RuntimeException e) {
            lost(token, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> succeed(Exchange exchange, String token) {
        String json;
        try {
            json = output.from(exchange);
        } catch (InvalidTaskAnswerException refused) {
            // the output could never land: fail the task with why, rather than leave it hanging
            LOG.warn("The output of activity task {} cannot be sent ({}): failing the task instead",
                    TaskTokens.mask(token), refused.getMessage());
            return sendFailure(derivedFailure(token, refused), token);
        }
        return sendSuccess(SendTaskSuccessRequest.builder().taskToken(token).output(json).build(), token);
    }

    private CompletableFuture<Void> fail(Exchange exchange, String token) {
        // the report is about this task, whatever the route did with the header
        exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
        SendTaskFailureRequest request;
        try {
            request = failures.create(exchange);
        } catch (InvalidTaskAnswerException refused) {
            LOG.warn("The failure report of activity task {} cannot be sent as the route set it ({}): reporting the "
                     + "refusal instead", TaskTokens.mask(token), refused.getMessage());
            request = derivedFailure(token, refused);
        }
        return sendFailure(request, token);
    }

    private static SendTaskFailureRequest derivedFailure(String token, Exception why) {
        return SendTaskFailureRequest.builder().taskToken(token).error(ExceptionReport.errorName(why, 256))
                .cause(TaskTokens.redact(ExceptionReport.causeJson(why, 32_768), token)).build();
    }

    private CompletableFuture<Void> sendSuccess(SendTaskSuccessRequest request, String token) {
        return send(TaskCall.SUCCESS, () -> endpoint.send(TaskCall.SUCCESS, request, false, null), token, true);
    }

    private CompletableFuture<Void> sendFailure(SendTaskFailureRequest request, String token) {
        return send(TaskCall.FAILURE,
                () -> endpoint.send(TaskCall.FAILURE, request, false, FailureRequestFactory::withoutDetails), token,
                false);
    }

    private <S extends SfnResponse> CompletableFuture<Void> send(
            TaskCall<?, S> call, Supplier<CompletableFuture<Result<S>>> sending, String token, boolean success) {
        answers.countSent();
        CompletableFuture<Result<S>> sent;
        try {
            sent = sending.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((result, error) -> {
            if (error != null) {
                Throwable cause = CallOutcomes.unwrap(error);
                answers.countFailed(cause);
                lost(token, cause);
                return null;
            }
            answers.countResult(result);
            settled(call, result, token, success);
            return null;
        });
    }

    private void settled(TaskCall<?, ?> call, Result<?> result, String token, boolean success) {
        if (result.error() != null) {
            if (CallOutcomes.isClosedTask(result.error())) {
                LOG.info("Activity task {} was closed before its {} (it timed out, or its execution was stopped): "
                         + "nobody waits for it", TaskTokens.mask(token), call.noun());
                counters.countClosedByService();
            } else {
                lost(token, result.error());
            }
            return;
        }
        if (result.closure() == Closure.CLOSED) {
            counters.countClosedByService();
            return;
        }
        if (success) {
            counters.countSucceeded();
        } else {
            counters.countFailed();
        }
        LOG.debug("Answered activity task {} with {}", TaskTokens.mask(token), call.api());
    }

    private void lost(String token, Throwable error) {
        counters.countAnswerLost();
        LOG.error("Could not answer activity task {}: its execution waits until the task's HeartbeatSeconds or "
                  + "TimeoutSeconds pass ({})", TaskTokens.mask(token), error.getMessage(), error);
    }
}
