package io.github.sfnfail.camel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells a client build that found no region the component's way: which option to set, rather than the SDK's report of
 * each provider of its region chain (logged at DEBUG here). The usual case is an emulator's activity ARN
 * ({@code arn:aws:states:local:...}), which names no region for the consumer to take, on a machine with no
 * {@code AWS_REGION} and no profile.
 */
final class NoRegionFound {

    private static final Logger LOG = LoggerFactory.getLogger(NoRegionFound.class);
    /** How the SDK's region chain starts its message when no provider found a region. */
    private static final String SDK_NO_REGION = "Unable to load region";

    private NoRegionFound() {
    }

    /** Whether a client build failed for want of a region, none being set. */
    static boolean isNoRegion(SdkClientException failure, SfnTaskConfiguration configuration) {
        return configuration.getRegion() == null && failure.getMessage() != null
               && failure.getMessage().startsWith(SDK_NO_REGION);
    }

    /**
     * The failure to throw instead, naming the options that set a region.
     *
     * @param endpoint the endpoint's URI, as the message names it
     */
    static IllegalArgumentException failure(String endpoint, SdkClientException sdk) {
        LOG.debug("The SDK's region chain found no region for {}: {}", endpoint, sdk.getMessage());
        String activity = endpoint.startsWith("aws-sfn-activity:")
                ? " The activity ARN names no region the consumer can take (an emulator's, such as "
                  + "arn:aws:states:local:..., need not)."
                : "";
        return new IllegalArgumentException("No AWS region for " + endpoint + ": none is set, and the SDK's default "
                                            + "chain found none (AWS_REGION, the aws.region system property, a "
                                            + "profile, instance metadata)." + activity + " Set one for every scheme "
                                            + "with camel.component.aws-sfn.region (against an emulator any region "
                                            + "name does, such as us-east-1), or region= on the endpoint. What the "
                                            + "chain tried is logged at DEBUG by " + NoRegionFound.class.getName());
    }
}
