package io.github.sfnfail.camel;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * Watches the attempts the SDK makes for one report, to tell whether one of them may have landed without its answer
 * coming back: sent, then no answer (a reset or closed connection, an attempt past its time limit), or a 5xx. The SDK
 * keeps only the messages of earlier attempts, not their types, so this is seen on the wire side, attempt by attempt.
 * Attached to the request itself (a request plugin), so it works with any client, built or given.
 */
final class AttemptOutcomes implements ExecutionInterceptor {

    private volatile boolean awaitingAnswer;
    private volatile boolean unknownOutcome;

    /** The request with this watcher attached. */
    SendTaskFailureRequest attachTo(SendTaskFailureRequest request) {
        SdkPlugin plugin = configuration -> configuration.overrideConfiguration(
                configuration.overrideConfiguration().toBuilder().addExecutionInterceptor(this).build());
        AwsRequestOverrideConfiguration override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder)
                .addPlugin(plugin).build();
        return request.toBuilder().overrideConfiguration(override).build();
    }

    /** Whether an attempt of the report went out and its outcome is unknown. */
    boolean hadUnknownOutcome() {
        return unknownOutcome || awaitingAnswer;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (awaitingAnswer) {
            // the previous attempt went out and no answer came back before this retry
            unknownOutcome = true;
        }
        awaitingAnswer = true;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        awaitingAnswer = false;
        if (context.httpResponse().statusCode() >= 500) {
            unknownOutcome = true;
        }
    }
}
