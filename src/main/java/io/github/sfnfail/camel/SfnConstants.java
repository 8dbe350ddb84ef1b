package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskHeaders;
import org.apache.camel.spi.Metadata;

/**
 * Message headers and exchange properties read and written by the Step Functions task callback components:
 * {@code aws-sfn-fail}, {@code aws-sfn-success} and {@code aws-sfn-heartbeat}. Each header says which schemes use it.
 */
public final class SfnConstants {

    static final String FAIL = "aws-sfn-fail";
    static final String SUCCESS = "aws-sfn-success";
    static final String HEARTBEAT = "aws-sfn-heartbeat";
    static final String ACTIVITY = "aws-sfn-activity";

    @Metadata(description = "The task token Step Functions handed out for the task to answer. Wins over the taskToken "
                            + "option. It is a bearer credential: it is never logged in full. The activity consumer "
                            + "sets it on each exchange.",
              javaType = "String", applicableFor = { FAIL, SUCCESS, HEARTBEAT, ACTIVITY })
    public static final String TASK_TOKEN = TaskHeaders.TASK_TOKEN;

    @Metadata(description = "The error name reported to Step Functions (what a Catch or Retry ErrorEquals matches, "
                            + "case-sensitively). At most 256 characters, must not start with States. "
                            + "Wins over the error option.",
              javaType = "String", label = "producer", applicableFor = FAIL)
    public static final String ERROR = TaskHeaders.ERROR;

    @Metadata(description = "The human-readable cause reported to Step Functions. At most 32768 characters. "
                            + "Wins over the cause option.",
              javaType = "String", label = "producer", applicableFor = FAIL)
    public static final String CAUSE = TaskHeaders.CAUSE;

    @Metadata(description = "The AWS request id of the call (SendTaskFailure, SendTaskSuccess or SendTaskHeartbeat), "
                            + "for support cases and CloudTrail.",
              javaType = "String", label = "producer", applicableFor = { FAIL, SUCCESS, HEARTBEAT })
    public static final String REQUEST_ID = TaskHeaders.REQUEST_ID;

    @Metadata(description = "Set to true when Step Functions answered TaskTimedOut (the task is closed: it timed out, "
                            + "the execution stopped, or it was answered already) and either ignoreClosedTask is "
                            + "enabled or an earlier attempt of the same answer, whose reply was lost, most likely "
                            + "closed it. After a heartbeat it tells the route to stop working on the task. The "
                            + "heartbeats sent every period (and the activity consumer's heartbeatPeriod) set the "
                            + "exchange property of the same name instead.",
              javaType = "Boolean", applicableFor = { FAIL, SUCCESS, HEARTBEAT, ACTIVITY })
    public static final String TASK_CLOSED = TaskHeaders.TASK_CLOSED;

    @Metadata(description = "Set to true when KMS refused the state machine's key (KmsAccessDeniedException, "
                            + "KmsInvalidStateException) and the report was sent again without error and cause "
                            + "(kmsFallback): the execution failed, but without the error name and cause.",
              javaType = "Boolean", label = "producer", applicableFor = FAIL)
    public static final String KMS_FALLBACK = TaskHeaders.KMS_FALLBACK;

    @Metadata(description = "The ARN of the activity whose task the exchange carries; set by the activity consumer.",
              javaType = "String", label = "consumer", applicableFor = ACTIVITY)
    public static final String ACTIVITY_ARN = TaskHeaders.ACTIVITY_ARN;

    private SfnConstants() {
    }
}
