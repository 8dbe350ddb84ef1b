package io.github.sfnfail.camel.engine;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Feeds the {@link AttemptOutcomes} a request carries, attempt by attempt. The component's jar names it in
 * {@code software/amazon/awssdk/services/sfn/execution.interceptors}, so every Step Functions client built where the
 * jar is on the class path carries it: the clients the component builds and those an application binds in its
 * registry alike, with no per-request plugin (which would cost the SDK a copy of the client's configuration on every
 * call). It is stateless, and does nothing for requests that carry no {@link AttemptOutcomes}: any other code's calls
 * on the same clients.
 */
public final class AttemptWatcher implements ExecutionInterceptor {

    /** The SDK runs this on the thread that starts the call, where the engine handed the call's watch over. */
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        AttemptOutcomes attempts = AttemptOutcomes.takeHandedOver();
        if (attempts != null) {
            attributes.putAttribute(AttemptOutcomes.ATTEMPTS, attempts);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        AttemptOutcomes attempts = attributes.getAttribute(AttemptOutcomes.ATTEMPTS);
        if (attempts != null) {
            attempts.beforeTransmission(context.httpRequest());
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        AttemptOutcomes attempts = attributes.getAttribute(AttemptOutcomes.ATTEMPTS);
        if (attempts != null) {
            attempts.afterTransmission(context.httpResponse(), context.httpResponse().statusCode());
        }
    }
}
