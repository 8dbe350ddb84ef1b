package io.github.sfnfail.camel.observe;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Whether an activity consumer's polls work: DOWN, with the AWS error code, while every poller's latest poll failed
 * (access denied, no such activity, throttling, too many workers, 5xx, network), UP again as soon as a poll comes back;
 * DOWN too while no poll has been open for a while although the route is started and there is room for a task (no
 * reason such as tasks at the limit or a poller waiting out a failure explains it).
 */
public class ActivityHealthCheck extends AbstractHealthCheck {

    private final String activityArn;
    private final Supplier<String> errorCode;
    private final Supplier<Throwable> error;
    private final Supplier<String> stall;

    /**
     * @param stall why no poll is open although one should be, or null while polls are open or a reason explains it
     */
    public ActivityHealthCheck(String routeId, String activityArn, Supplier<String> errorCode,
                               Supplier<Throwable> error, Supplier<String> stall) {
        super("camel", "consumer:aws-sfn-activity-" + routeId);
        this.activityArn = activityArn;
        this.errorCode = errorCode;
        this.error = error;
        this.stall = stall;
    }

    @Override
    public boolean isLiveness() {
        // a failing poll is the service's or the credentials' problem: restarting the worker would not help
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String code = errorCode.get();
        if (code == null) {
            String stalled = stall.get();
            if (stalled != null) {
                builder.message(stalled).down();
            } else {
                builder.up();
            }
            return;
        }
        Throwable failure = error.get();
        builder.detail(SERVICE_ERROR_CODE, code);
        if (failure instanceof AwsServiceException service) {
            builder.detail(SERVICE_STATUS_CODE, service.statusCode());
        }
        builder.message("Polls for tasks of activity " + activityArn + " fail with " + code
                        + (failure != null && failure.getMessage() != null ? ": " + failure.getMessage() : ""))
                .error(failure).down();
    }
}
