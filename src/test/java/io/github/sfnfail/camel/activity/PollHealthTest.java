package io.github.sfnfail.camel.activity;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.model.SfnException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poll has one attempt, so a blip of the service (a 5xx, a reset) reaches the consumer where the SDK's retries hid it
 * before: a poller's first three in a row neither count for the health check nor halve the polls; the fourth does, and
 * throttling or a failure of the client's own (no credentials) does at once.
 */
class PollHealthTest {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:blips";

    private final Object poller = new Object();
    private final PollHealth health = new PollHealth(ARN, "in region eu-west-1", () -> 1);

    @Test
    void aPollersFirstThreeServerErrorsInARowLeaveTheHealthUpTheFourthTakesItDown() {
        SfnException internal = service(500, "InternalFailure");
        for (int inARow = 1; inARow <= PollHealth.QUIET_FAILURES; inARow++) {
            health.failed(poller, internal, inARow).run();
            assertThat(health.errorCode()).as("after %d in a row", inARow).isNull();
            assertThat(PollHealth.isQuiet(internal, inARow)).isTrue();
        }

        health.failed(poller, internal, PollHealth.QUIET_FAILURES + 1).run();

        assertThat(health.errorCode()).isEqualTo("InternalFailure");
        assertThat(PollHealth.isQuiet(internal, PollHealth.QUIET_FAILURES + 1)).isFalse();
    }

    @Test
    void networkFailuresAreBlipsButThrottlingAndMissingCredentialsCountAtOnce() {
        SdkClientException reset = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new IOException("Connection reset")).build();
        assertThat(PollHealth.isQuiet(reset, 1)).isTrue();

        SfnException throttled = service(400, "ThrottlingException");
        assertThat(PollHealth.isQuiet(throttled, 1)).isFalse();
        health.failed(poller, throttled, 1).run();
        assertThat(health.errorCode()).isEqualTo("ThrottlingException");

        SdkClientException noCredentials = SdkClientException.create("Unable to load credentials from any provider");
        assertThat(PollHealth.isQuiet(noCredentials, 1)).isFalse();
    }

    private static SfnException service(int status, String code) {
        return (SfnException) SfnException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("stand-in").build()).build();
    }
}
