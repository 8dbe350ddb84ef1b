package io.github.sfnfail.camel.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskRequest;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * One of the calls a worker answers a task with, as the engine sends it: on either kind of SDK client, with the task
 * token it is about, named as the service and the logs name it. The engine has one path for every call; a scheme is a
 * constant here plus how it makes its request.
 *
 * @param api   the API action, as in IAM and CloudTrail (states:SendTaskFailure)
 * @param noun  what the call is, in log lines and messages ("failure report")
 * @param async the call on an asynchronous client
 * @param sync  the same call on a synchronous client
 * @param token the task token of a request
 * @param closesTask whether the call, once it lands, closes the task: then a closed task found after an attempt whose
 *              reply was lost means that attempt landed (a heartbeat closes nothing, so it never means that)
 */
public record TaskCall<R extends SfnRequest, S extends SfnResponse>(
        String api,
        String noun,
        BiFunction<SfnAsyncClient, R, CompletableFuture<S>> async,
        BiFunction<SfnClient, R, S> sync,
        Function<R, String> token,
        boolean closesTask) {

    public static final TaskCall<SendTaskFailureRequest, SendTaskFailureResponse> FAILURE = new TaskCall<>(
            "SendTaskFailure", "failure report", SfnAsyncClient::sendTaskFailure, SfnClient::sendTaskFailure,
            SendTaskFailureRequest::taskToken, true);

    public static final TaskCall<SendTaskSuccessRequest, SendTaskSuccessResponse> SUCCESS = new TaskCall<>(
            "SendTaskSuccess", "success report", SfnAsyncClient::sendTaskSuccess, SfnClient::sendTaskSuccess,
            SendTaskSuccessRequest::taskToken, true);

    public static final TaskCall<SendTaskHeartbeatRequest, SendTaskHeartbeatResponse> HEARTBEAT = new TaskCall<>(
            "SendTaskHeartbeat", "heartbeat", SfnAsyncClient::sendTaskHeartbeat, SfnClient::sendTaskHeartbeat,
            SendTaskHeartbeatRequest::taskToken, false);

    /** The activity consumer's long poll: no task yet, so no token. */
    public static final TaskCall<GetActivityTaskRequest, GetActivityTaskResponse> GET_ACTIVITY_TASK = new TaskCall<>(
            "GetActivityTask", "poll", SfnAsyncClient::getActivityTask, SfnClient::getActivityTask, request -> null,
            false);

    @Override
    public String toString() {
        return api;
    }
}
