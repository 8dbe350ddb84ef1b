package io.github.sfnfail.camel.observe;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.sfnfail.camel.engine.SfnErrors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Tells whether a producer endpoint can reach Step Functions with valid credentials, using only the call the endpoint
 * makes anyway (SendTaskFailure, SendTaskSuccess or SendTaskHeartbeat) with a token that cannot exist. Step Functions
 * authenticates the request before it looks at the token, so "no such task" (InvalidToken, TaskDoesNotExist) means
 * reachable and authenticated; bad or expired credentials, a denied call, throttling, a server or network error mean
 * down. It cannot prove the permission for the call itself (that is checked against the task a real token names), but
 * unlike a check that lists state machines it needs no permission a least-privilege worker role lacks.
 */
public class AnswerHealthCheck extends AbstractHealthCheck {

    /** The token of the probe: no task has it. */
    public static final String PROBE_TOKEN = "camel-aws-sfn-health-check";
    private static final Set<String> NO_SUCH_TASK = Set.of("InvalidToken", "TaskDoesNotExist", "TaskTimedOut");
    private static final long TIMEOUT_SECONDS = 30;

    private final ObservedEndpoint endpoint;

    public AnswerHealthCheck(ObservedEndpoint endpoint) {
        super("camel", "producer:" + endpoint.getScheme() + "-" + endpoint.getId());
        this.endpoint = endpoint;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            endpoint.probe(PROBE_TOKEN).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            builder.up();
        } catch (ExecutionException e) {
            Throwable error = SfnErrors.explain(e.getCause(), PROBE_TOKEN, endpoint.taskCall(),
                    endpoint.whereCallsGo());
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
