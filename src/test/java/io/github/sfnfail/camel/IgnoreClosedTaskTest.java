package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import ch.qos.logback.classic.Level;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report for a task that is already closed (duplicate delivery, late worker) is done, not an error, when asked.
 */
class IgnoreClosedTaskTest extends WireMockSfnTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ignore").to("aws-sfn-fail:ignore?ignoreClosedTask=true").to("mock:after");
                from("direct:default").to("aws-sfn-fail:default");
            }
        };
    }

    @Test
    void closedTaskContinuesTheExchangeWithTheTaskClosedHeaderAndAnInfoLine() throws Exception {
        SFN.stubFor(sendTaskFailure().willReturn(taskClosed()));
        getMockEndpoint("mock:after").expectedMessageCount(1);
        getMockEndpoint("mock:after").expectedHeaderReceived(SfnConstants.TASK_CLOSED, true);

        Exchange result;
        try (LogCapture logs = new LogCapture()) {
            result = template.request("direct:ignore", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains("already closed", TaskTokens.mask(TOKEN))
                        .doesNotContain(TOKEN);
            });
        }
        assertThat(result.getException()).isNull();
        getMockEndpoint("mock:after").assertIsSatisfied();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void closedTaskIsAnErrorByDefault() {
        SFN.stubFor(sendTaskFailure().willReturn(taskClosed()));

        Exchange result = template.request("direct:default", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isInstanceOf(TaskTimedOutException.class);
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isNull();
    }

    @Test
    void otherErrorsAreNeverSwallowed() {
        SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskDoesNotExist", "Task Does Not Exist")));

        Exchange result = template.request("direct:ignore", e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));

        assertThat(result.getException()).isInstanceOf(TaskDoesNotExistException.class);
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isNull();
    }
}
