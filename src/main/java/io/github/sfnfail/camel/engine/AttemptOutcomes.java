package io.github.sfnfail.camel.engine;

import java.util.function.Function;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.services.sfn.model.SfnRequest;

/**
 * Watches the attempts the SDK makes for one call, to tell whether one of them may have landed without its answer
 * coming back: sent, then no answer (a reset or closed connection, an attempt past its time limit), a 5xx, or a 2xx
 * whose body was then lost (the status line is all the SDK has told us when the reset or the attempt limit comes: the
 * report landed, yet the SDK retries). Only a 4xx status line settles an attempt as refused. The SDK
 * keeps only the messages of earlier attempts, not their types, so this is seen on the wire side, attempt by attempt,
 * by {@link AttemptWatcher}, which every Step Functions client built with this jar on the class path carries; a request
 * to a client without it carries it in a request plugin (which costs the SDK a copy of the client's configuration per
 * call, so only there).
 */
public final class AttemptOutcomes {

    /**
     * Named for this load of the class: the SDK refuses a second attribute of the same name, and the jar may be loaded
     * twice over one SDK (two web applications, a plugin class loader), each load with its own watch.
     */
    static final ExecutionAttribute<AttemptOutcomes> ATTEMPTS = new ExecutionAttribute<>(
            "AwsSfnFailAttempts@" + Integer.toHexString(System.identityHashCode(AttemptOutcomes.class)));
    private static final ThreadLocal<AttemptOutcomes> HANDED_OVER = new ThreadLocal<>();

    /** For a client built where the class path did not give it {@link AttemptWatcher} (another class loader). */
    private static final SdkPlugin WATCHER_PLUGIN = configuration -> configuration.overrideConfiguration(
            configuration.overrideConfiguration().toBuilder().addExecutionInterceptor(new AttemptWatcher()).build());

    private volatile boolean awaitingAnswer;
    private volatile boolean unknownOutcome;
    /** What the last callback was about: a second watcher on the same client sees the same attempt, to count once. */
    private volatile Object lastSeen;

    /**
     * Hands this watch to the call's execution, which the SDK starts on this thread: {@link AttemptWatcher} takes it
     * from here into the execution's attributes, so the request needs no copy. A client without the watcher gets it
     * in a copy of the request that carries it, with the watcher as a request plugin.
     *
     * @param clientWatches whether the client carries {@link AttemptWatcher}
     */
    <R extends SfnRequest, T> T watch(R request, boolean clientWatches, Function<R, T> call) {
        if (!clientWatches) {
            return call.apply(carriedBy(request));
        }
        HANDED_OVER.set(this);
        try {
            return call.apply(request);
        } finally {
            HANDED_OVER.remove();
        }
    }

    /** The watch handed to the execution the SDK is starting on this thread, taken once; null when none is. */
    static AttemptOutcomes takeHandedOver() {
        AttemptOutcomes attempts = HANDED_OVER.get();
        if (attempts != null) {
            HANDED_OVER.remove();
        }
        return attempts;
    }

    @SuppressWarnings("unchecked")
    private <R extends SfnRequest> R carriedBy(R request) {
        AwsRequestOverrideConfiguration override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder)
                .putExecutionAttribute(ATTEMPTS, this).addPlugin(WATCHER_PLUGIN).build();
        return (R) request.toBuilder().overrideConfiguration(override).build();
    }

    /** Whether an attempt of the report went out and its outcome is unknown. */
    boolean hadUnknownOutcome() {
        return unknownOutcome || awaitingAnswer;
    }

    void beforeTransmission(Object httpRequest) {
        if (httpRequest == lastSeen) {
            return;
        }
        lastSeen = httpRequest;
        if (awaitingAnswer) {
            // the previous attempt went out and no answer came back before this retry
            unknownOutcome = true;
        }
        awaitingAnswer = true;
    }

    /** The status line arrived; the body may still be lost. */
    void afterTransmission(Object httpResponse, int status) {
        if (httpResponse == lastSeen) {
            return;
        }
        lastSeen = httpResponse;
        awaitingAnswer = false;
        if (status < 400 || status >= 500) {
            // a 2xx landed, whatever happens to its body; a 5xx may have
            unknownOutcome = true;
        }
    }
}
