package io.github.sfnfail.camel.engine;

/**
 * The names of the message headers and exchange properties the engine reads and writes. They are documented, for
 * users, where every scheme declares its headers ({@code io.github.sfnfail.camel.SfnConstants}), which takes its
 * values from here.
 */
public final class TaskHeaders {

    /** The task token of the task to answer. */
    public static final String TASK_TOKEN = "CamelAwsSfnTaskToken";
    /** The error name of a failure report. */
    public static final String ERROR = "CamelAwsSfnError";
    /** The cause of a failure report. */
    public static final String CAUSE = "CamelAwsSfnCause";
    /** The AWS request id of the answer that landed. */
    public static final String REQUEST_ID = "CamelAwsSfnRequestId";
    /** Set when an answer or a heartbeat found the task closed. */
    public static final String TASK_CLOSED = "CamelAwsSfnTaskClosed";
    /** Set when a failure report went without error and cause because KMS refused the key. */
    public static final String KMS_FALLBACK = "CamelAwsSfnKmsFallback";
    /** The ARN of the activity whose task the exchange carries. */
    public static final String ACTIVITY_ARN = "CamelAwsSfnActivityArn";

    private TaskHeaders() {
    }
}
