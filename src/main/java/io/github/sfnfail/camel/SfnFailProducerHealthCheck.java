package io.github.sfnfail.camel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * Tells whether the endpoint can reach Step Functions with valid credentials, using only the call the component makes
 * anyway: SendTaskFailure with a token that cannot exist. Step Functions authenticates the request before it looks at
 * the token, so "no such task" (InvalidToken, TaskDoesNotExist) means reachable and authenticated; bad or expired
 * credentials, a denied call, throttling, a server or network error mean down. It cannot prove the
 * states:SendTaskFailure permission (that is checked against the task a real token names), but unlike a check that
 * lists state machines it needs no permission a least-privilege worker role lacks.
 */
public class SfnFailProducerHealthCheck extends AbstractHealthCheck {

    static final String PROBE_TOKEN = "camel-aws-sfn-fail-health-check";
    private static final Set<String> NO_SUCH_TASK = Set.of("InvalidToken", "TaskDoesNotExist", "TaskTimedOut");
    private static final long TIMEOUT_SECONDS = 30;

    private final SfnFailEndpoint endpoint;

    public SfnFailProducerHealthCheck(SfnFailEndpoint endpoint, String endpointId) {
        super("camel", "producer:aws-sfn-fail-" + endpointId);
        this.endpoint = endpoint;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SendTaskFailureRequest probe = SendTaskFailureRequest.builder().taskToken(PROBE_TOKEN).error("CamelHealthCheck")
                .build();
        try {
            endpoint.getUnpacedClient().sendTaskFailure(probe).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            builder.up();
        } catch (ExecutionException e) {
            Throwable error = SendTaskFailureErrors.explain(e.getCause(), PROBE_TOKEN);
            if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
                String code = service.awsErrorDetails().errorCode();
                if (NO_SUCH_TASK.contains(code)) {
                    builder.up();
                    return;
                }
                builder.detail(SERVICE_STATUS_CODE, service.statusCode());
                if (code != null) {
                    builder.detail(SERVICE_ERROR_CODE, code);
                }
            }
            builder.message(error.getMessage()).error(error).down();
        } catch (TimeoutException e) {
            builder.message("Step Functions did not answer within " + TIMEOUT_SECONDS + " s").error(e).down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.error(e).down();
        } catch (RuntimeException e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }
}
