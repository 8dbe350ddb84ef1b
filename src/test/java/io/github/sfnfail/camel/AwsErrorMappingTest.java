package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.KmsThrottlingException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors Step Functions answers reach the route as the SDK's own exception types, so onException can match them, with a
 * hint of what to do and without the token.
 */
class AwsErrorMappingTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:worker");
            }
        };
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("TaskTimedOut", TaskTimedOutException.class, "ignoreClosedTask=true", 1),
                Arguments.of("InvalidToken", InvalidTokenException.class, "RAW(", 1),
                Arguments.of("TaskDoesNotExist", TaskDoesNotExistException.class, "region and account", 1),
                Arguments.of("AccessDeniedException", SfnException.class, "states:SendTaskFailure", 1),
                Arguments.of("SomethingNew", SfnException.class, "Step Functions said no", 1),
                // transient: retried by the default (LEGACY) mode's 4 attempts
                Arguments.of("KmsThrottlingException", KmsThrottlingException.class, "KMS", 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void serviceErrorReachesTheRouteAsTheSdkExceptionTypeWithAHint(
            String code, Class<? extends AwsServiceException> type, String hint, int attempts) {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, code, "Step Functions said no")));

        Exchange result = template.request("direct:fail", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isExactlyInstanceOf(type).hasMessageContaining(hint);
        AwsServiceException error = (AwsServiceException) result.getException();
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(error.requestId()).isEqualTo("err-" + code);
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(requestsReceived()).as("attempts").isEqualTo(attempts);
    }

    @Test
    void invalidTokenSaysTheTokenMayComeFromAnotherRegionNamingTheEndpoints() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "InvalidToken", "Invalid token")));

        Exchange result = template.request("direct:fail", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("another region, account or endpoint")
                .hasMessageContaining("(region " + REGION + ")");
    }

    @Test
    void tokenQuotedByTheServiceIsMaskedInTheException() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "InvalidToken", "Invalid token: '" + TOKEN + "'")));

        Exchange result = template.request("direct:fail", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(TaskTokens.mask(TOKEN))
                .hasMessageNotContaining(TOKEN);
        assertThat(((InvalidTokenException) result.getException()).awsErrorDetails().errorMessage())
                .doesNotContain(TOKEN);
    }

    @Test
    void messageBodyIsKeptWhenTheCallFails() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskDoesNotExist", "no")));

        Exchange result = template.request("direct:fail", e -> {
            e.getMessage().setBody("the work item");
            e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN);
        });

        assertThat(result.getException()).isInstanceOf(TaskDoesNotExistException.class);
        assertThat(result.getMessage().getBody()).isEqualTo("the work item");
    }
}
