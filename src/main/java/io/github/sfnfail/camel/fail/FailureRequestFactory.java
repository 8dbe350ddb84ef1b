package io.github.sfnfail.camel.fail;

import io.github.sfnfail.camel.SfnConstants;
import io.github.sfnfail.camel.engine.AnswerTally;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import io.github.sfnfail.camel.engine.TaskTokenSource;
import io.github.sfnfail.camel.engine.TaskTokens;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * Turns an exchange into the SendTaskFailure request to send: each field from its header, else its option, else (error
 * and cause) from the exception the exchange carries; then checked against the Step Functions limits. Everything that
 * can be wrong with a report is found here, before any network call.
 */
public final class FailureRequestFactory {

    private final SfnFailConfiguration configuration;
    private final FailureReportLimits limits;

    public FailureRequestFactory(SfnFailConfiguration configuration, AnswerTally counters) {
        this.configuration = configuration;
        this.limits = new FailureReportLimits(configuration.isTruncateCause(), counters::countCauseCut);
    }

    /**
     * The same report without error and cause, which Step Functions accepts without any KMS permission; null when there
     * is nothing to drop.
     */
    public static SendTaskFailureRequest withoutDetails(SendTaskFailureRequest request) {
        return request.error() == null && request.cause() == null ? null
                : request.toBuilder().error(null).cause(null).build();
    }

    /**
     * Checks the options on their own, so that an endpoint whose URI could never send a valid report does not start.
     */
    void checkOptions() {
        limits.checkError(configuration.getError(), "option error");
        if (!configuration.isTruncateCause()) {
            limits.fitCause(configuration.getCause(), "option cause", configuration.getTaskToken());
        }
    }

    public SendTaskFailureRequest create(Exchange exchange) {
        return create(exchange, exceptionOf(exchange));
    }

    /**
     * The report for this exchange, with error and cause (where no header or option gives them) derived from this
     * failure: the exception an error handler handled, which the activity worker recorded as it happened.
     */
    public SendTaskFailureRequest create(Exchange exchange, Throwable failure) {
        if (configuration.isPojoRequest()) {
            return fromBody(exchange);
        }
        Message message = exchange.getMessage();
        String token = TaskTokenSource.resolve(message, configuration.getTaskToken());

        Field error = field(message, SfnConstants.ERROR, "error", configuration.getError());
        Field cause = field(message, SfnConstants.CAUSE, "cause", configuration.getCause());
        if (error.value == null || cause.value == null) {
            Throwable exception = failure;
            if (exception != null) {
                String source = "exception " + exception.getClass().getName();
                if (error.value == null) {
                    error = new Field(ExceptionReport.errorName(exception, FailureReportLimits.MAX_ERROR_LENGTH), source);
                }
                if (cause.value == null) {
                    // an exception message may quote the token; the cause ends up in the execution history
                    String json = ExceptionReport.causeJson(exception, FailureReportLimits.MAX_CAUSE_LENGTH);
                    cause = new Field(TaskTokens.redact(json, token), source);
                }
            }
        }
        limits.checkError(error.value, error.source);
        return SendTaskFailureRequest.builder()
                .taskToken(token)
                .error(error.value)
                .cause(limits.fitCause(cause.value, cause.source, token))
                .build();
    }

    private SendTaskFailureRequest fromBody(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof SendTaskFailureRequest request)) {
            throw new InvalidTaskAnswerException(InvalidTaskAnswerException.Part.BODY,
                    "pojoRequest=true expects a body of type " + SendTaskFailureRequest.class.getName() + " but got "
                                                    + (body == null ? "null" : body.getClass().getName()));
        }
        String source = "the SendTaskFailureRequest body";
        TaskTokenSource.check(request.taskToken(), source);
        limits.checkError(request.error(), source);
        String cause = limits.fitCause(request.cause(), source, request.taskToken());
        return cause == request.cause() ? request : request.toBuilder().cause(cause).build();
    }

    /**
     * The exception being handled: in doCatch, onException and dead letter routes Camel moves it from the exchange to
     * the caught-exception property.
     */
    private static Throwable exceptionOf(Exchange exchange) {
        Throwable exception = exchange.getException();
        return exception != null ? exception : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static Field field(Message message, String header, String option, String optionValue) {
        // the type converter turns byte[], numbers, StringBuilder... into text
        String value = message.getHeader(header, String.class);
        if (value != null) {
            return new Field(value, "header " + header);
        }
        return new Field(optionValue, optionValue != null ? "option " + option : "header " + header + " or option " + option);
    }

    private record Field(String value, String source) {
    }
}
