package io.github.sfnfail.camel;

import org.apache.camel.spi.Metadata;

/**
 * Message headers read and written by the {@code aws-sfn-fail} producer.
 */
public final class SfnFailConstants {

    @Metadata(description = "The task token Step Functions handed out for the task to fail. Wins over the taskToken "
                            + "option. It is a bearer credential: it is never logged in full.",
              javaType = "String", label = "producer")
    public static final String TASK_TOKEN = "CamelAwsSfnTaskToken";

    @Metadata(description = "The error name reported to Step Functions (what a Catch or Retry ErrorEquals matches, "
                            + "case-sensitively). At most 256 characters, must not start with States. "
                            + "Wins over the error option.",
              javaType = "String", label = "producer")
    public static final String ERROR = "CamelAwsSfnError";

    @Metadata(description = "The human-readable cause reported to Step Functions. At most 32768 characters. "
                            + "Wins over the cause option.",
              javaType = "String", label = "producer")
    public static final String CAUSE = "CamelAwsSfnCause";

    @Metadata(description = "The AWS request id of the SendTaskFailure call, for support cases and CloudTrail.",
              javaType = "String", label = "producer")
    public static final String REQUEST_ID = "CamelAwsSfnRequestId";

    @Metadata(description = "Set to true when Step Functions answered TaskTimedOut (the task was already closed) and "
                            + "either ignoreClosedTask is enabled or an earlier attempt of the same report, whose answer "
                            + "was lost, most likely closed it.",
              javaType = "Boolean", label = "producer")
    public static final String TASK_CLOSED = "CamelAwsSfnTaskClosed";

    @Metadata(description = "Set to true when KMS refused the state machine's key (KmsAccessDeniedException, "
                            + "KmsInvalidStateException) and the report was sent again without error and cause "
                            + "(kmsFallback): the execution failed, but without the error name and cause.",
              javaType = "Boolean", label = "producer")
    public static final String KMS_FALLBACK = "CamelAwsSfnKmsFallback";

    private SfnFailConstants() {
    }
}
