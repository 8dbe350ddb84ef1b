package io.github.sfnfail.camel.observe;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.sfnfail.camel.engine.TaskCall;

/** What operators see of an endpoint of the component: what the dev console lists and the health check probes. */
public interface ObservedEndpoint {

    /** The endpoint's full URI with its secrets and task token masked. */
    String getMaskedUri();

    /** Every figure of the endpoint by name. */
    Map<String, Object> figures();

    /** The endpoint's scheme: aws-sfn-fail, aws-sfn-success... */
    String getScheme();

    /** The endpoint's id in the context. */
    String getId();

    /** The call the endpoint's producer makes, or null for a consumer. */
    TaskCall<?, ?> taskCall();

    /** Where the endpoint's calls go, for messages ("in region eu-west-1"). */
    String whereCallsGo();

    /** The health check's probe: the endpoint's call with a token no task has, sent at once. */
    CompletableFuture<?> probe(String token);
}
