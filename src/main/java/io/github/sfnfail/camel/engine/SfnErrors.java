package io.github.sfnfail.camel.engine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Makes an error of a task answer (SendTaskFailure, SendTaskSuccess, SendTaskHeartbeat) fit to reach the route: the
 * SDK's own exception type is kept (so
 * {@code onException(TaskTimedOutException.class)} matches) but its message gains a hint of what to do, and loses any
 * copy of the task token the service may have quoted.
 */
public final class SfnErrors {

    /**
     * By error code, never by message: emulators and regions word messages differently. {api} stands for the API
     * action, {noun} for what the call is ("failure report").
     */
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("TaskTimedOut",
                    "the task is already closed: it timed out, its execution stopped, or it was already answered (a "
                                      + "duplicate or late {noun}). Set ignoreClosedTask=true to treat this as done"),
            Map.entry("TaskDoesNotExist",
                    "no such task: check that the region and account are those of the state machine that issued the "
                                          + "token (this {noun} went {where})"),
            Map.entry("InvalidToken",
                    "Step Functions does not know the token: it is malformed (check it arrives intact: in an endpoint "
                                      + "URI write taskToken=RAW(...), or a + becomes a space), or it was issued by "
                                      + "another region, account or endpoint than the one this {noun} went to "
                                      + "({where}): check the endpoint's region against the state machine's"),
            Map.entry("AccessDeniedException",
                    "the credentials may not call states:{api} on this state machine: until they may, its "
                                               + "executions stay RUNNING until they time out"),
            Map.entry("ThrottlingException",
                    "Step Functions kept throttling this {noun} until throttlingTimeout ran out, although it was paced at "
                                             + "the rate the service admitted: the account's {api} quota is "
                                             + "smaller than what all its workers send; raise throttlingTimeout or the "
                                             + "quota, or let Camel redelivery take over"),
            Map.entry("KmsThrottlingException",
                    "KMS throttled the encryption of the {noun} with the state machine's key: retry later"),
            Map.entry("KmsAccessDeniedException",
                    "the credentials may not use the KMS key the state machine encrypts its data with: grant them "
                                                  + "kms:Decrypt and kms:GenerateDataKey on it"),
            Map.entry("KmsInvalidStateException",
                    "the KMS key the state machine encrypts its data with is disabled or pending deletion"),
            Map.entry("UnrecognizedClientException", "the access key is not known: check the credentials and the region"),
            Map.entry("InvalidClientTokenId", "the access key is not known: check the credentials and the region"),
            Map.entry("InvalidSignatureException", "the request signature does not match: check the secret key"),
            Map.entry("RequestExpired", "the request was signed too long ago: check this machine's clock"),
            Map.entry("ValidationException", "Step Functions refused a field of the {noun}"),
            Map.entry("InvalidOutput", "Step Functions refused the output: it must be valid JSON"));

    /** How the SDK's default credentials chain says it found nothing (a client-side error: no code to go by). */
    private static final String NO_CREDENTIALS = "Unable to load credentials";
    private static final String CREDENTIALS_HINT = "No AWS credentials: the SDK's default chain found none "
                                                   + "(environment, profile, container or instance role). Give every "
                                                   + "scheme keys once with camel.component.aws-sfn.access-key and "
                                                   + "camel.component.aws-sfn.secret-key (accessKey and secretKey; "
                                                   + "with an emulator any non-empty values do), or "
                                                   + "use-profile-credentials-provider with profile-credentials-name. "
                                                   + "What the chain tried is logged at DEBUG by " + SfnErrors.class
                                                           .getName();
    private static final Logger LOG = LoggerFactory.getLogger(SfnErrors.class);

    /** How the Netty client says an attempt waited in vain for a connection from its pool. */
    private static final String NO_CONNECTION_FROM_POOL = "Acquire operation took longer";
    /** How Java says a connect was refused (ConnectException's message). */
    private static final String CONNECTION_REFUSED = "Connection refused";

    private SfnErrors() {
    }

    /**
     * The message of an earlier attempt that a connection refusal failed, or null. The SDK keeps only the messages of
     * earlier attempts (as suppressed exceptions), not their types.
     */
    private static String refusedEarlier(SdkClientException error) {
        for (Throwable attempt : error.getSuppressed()) {
            if (attempt.getMessage() != null && attempt.getMessage().contains(CONNECTION_REFUSED)) {
                return attempt.getMessage();
            }
        }
        return null;
    }

    /**
     * @param where where the call went, for hints that depend on it ("in region eu-west-1")
     * @return the error to reach the route: the SDK's exception, with the hint for its error code and without the
     *         token
     */
    public static Throwable explain(Throwable error, String token, TaskCall<?, ?> call, String where) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SdkClientException client && client.getMessage() != null) {
            if (client.getMessage().startsWith(NO_CREDENTIALS)) {
                // the SDK names only its own sources, in a line of 2,000 characters that log lines and health checks
                // would repeat: the component's options first, the chain's report at DEBUG, not as the cause
                LOG.debug("The SDK's default credentials chain found nothing: {}", client.getMessage());
                return SdkClientException.builder().message(CREDENTIALS_HINT).build();
            }
            String refused = refusedEarlier(client);
            if (refused != null && client.getMessage().contains(NO_CONNECTION_FROM_POOL)) {
                // the last attempt's connect failure got lost in the HTTP client's pool: what happened is the refusal
                SdkClientException explained = SdkClientException.builder().message("Connection refused: nobody "
                        + "listens at the Step Functions endpoint (" + refused + "); the last attempt then got no "
                        + "connection at all: " + client.getMessage()).cause(client).build();
                for (Throwable suppressed : client.getSuppressed()) {
                    explained.addSuppressed(suppressed);
                }
                return explained;
            }
        }
        if (!(cause instanceof AwsServiceException serviceException) || serviceException.awsErrorDetails() == null) {
            return cause;
        }
        AwsErrorDetails details = serviceException.awsErrorDetails();
        // a 5xx with a non-JSON body has no error code
        String template = details.errorCode() == null ? null : HINTS.get(details.errorCode());
        String hint = template == null ? null : template.replace("{api}", call.api()).replace("{noun}", call.noun())
                .replace("{where}", where);
        String message = TaskTokens.redact(details.errorMessage(), token);
        if (hint == null && Objects.equals(message, details.errorMessage())) {
            return serviceException;
        }
        String explained = hint == null ? message : (message == null ? "" : message + ": ") + hint;
        AwsServiceException copy = serviceException.toBuilder()
                .message(explained)
                .awsErrorDetails(details.toBuilder().errorMessage(message).build())
                .build();
        copy.setStackTrace(serviceException.getStackTrace());
        for (Throwable suppressed : serviceException.getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }
}
