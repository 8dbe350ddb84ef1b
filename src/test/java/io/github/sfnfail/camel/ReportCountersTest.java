package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import io.github.sfnfail.camel.fail.SfnFailEndpoint;
import io.github.sfnfail.camel.observe.AnswerCounters;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters of an endpoint agree with what reached the wire, after a mix of reports that landed, found their task
 * closed, were throttled, fell back because of KMS, were refused before the call, had their cause cut or failed; and
 * they are visible through JMX and the aws-sfn dev console.
 */
class ReportCountersTest extends WireMockSfnTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withEnableJMX();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.setDevConsole(true);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:report").to("aws-sfn-fail:counted?ignoreClosedTask=true");
                // the same label, other options: another endpoint, with figures of its own
                from("direct:sameLabel").to("aws-sfn-fail:counted?error=Other");
                from("direct:succeed").to("aws-sfn-success:counted");
            }
        };
    }

    @BeforeEach
    void theMix() {
        SFN.stubFor(sendTaskFailure().atPriority(9).willReturn(accepted("req-landed")));
        SFN.stubFor(forToken("tok-closed").willReturn(awsError(400, "TaskTimedOut", "closed")));
        SFN.stubFor(forToken("tok-missing").willReturn(awsError(400, "TaskDoesNotExist", "no such task")));
        SFN.stubFor(forToken("tok-throttled").inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(awsError(400, "ThrottlingException", "Rate exceeded")).willSetStateTo("admitted"));
        SFN.stubFor(forToken("tok-throttled").inScenario("throttled").whenScenarioStateIs("admitted")
                .willReturn(accepted("req-after-throttling")));
        SFN.stubFor(forToken("tok-kms").withRequestBody(matchingJsonPath("$.error"))
                .willReturn(awsError(400, "KmsAccessDeniedException", "denied")));
        SFN.stubFor(forToken("tok-kms").withRequestBody(not(matchingJsonPath("$.error")))
                .willReturn(accepted("req-kms-fallback")));
    }

    @Test
    void countersAgreeWithTheWireAndShowInJmxAndTheDevConsole() throws Exception {
        report("tok-closed", "E", null);
        report("tok-missing", "E", null);
        report("tok-throttled", "E", null);
        report("tok-kms", "E", "c");
        report("tok-long-cause", "E", "x".repeat(40_000));
        report(null, "E", null);
        report("tok-bad-error", "E".repeat(300), null);
        for (int i = 0; i < 3; i++) {
            report("tok-landed-" + i, "E", null);
        }

        AnswerCounters counters = context.getEndpoint("aws-sfn-fail:counted?ignoreClosedTask=true", SfnFailEndpoint.class)
                .getCounters();
        assertThat(counters.sent()).isEqualTo(8);
        assertThat(counters.landed()).isEqualTo(6);
        assertThat(counters.closedTasks()).isEqualTo(1);
        assertThat(counters.closedByThisReport()).isZero();
        assertThat(counters.kmsFallbacks()).isEqualTo(1);
        assertThat(counters.refused(InvalidTaskAnswerException.Part.TOKEN)).isEqualTo(1);
        assertThat(counters.refused(InvalidTaskAnswerException.Part.ERROR)).isEqualTo(1);
        assertThat(counters.refused()).isEqualTo(2);
        assertThat(counters.causesCut()).isEqualTo(1);
        assertThat(counters.failedByErrorCode()).isEqualTo(Map.of("TaskDoesNotExist", 1L));
        assertThat(counters.inFlight()).isZero();
        assertThat(counters.lastRequestId()).isEqualTo("req-landed");

        // what the wire saw: every report sent, one more call for the throttled one and one for the KMS fallback
        assertThat(counters.landed() + counters.closedTasks() + counters.failed()).isEqualTo(counters.sent());
        long throttledOnTheWire = SFN.getAllServeEvents().stream()
                .filter(event -> event.getResponse().getBodyAsString().contains("ThrottlingException")).count();
        assertThat(counters.throttledCalls()).isEqualTo(throttledOnTheWire).isEqualTo(1);
        assertThat((long) requestsReceived())
                .isEqualTo(counters.sent() + counters.throttledCalls() + counters.kmsFallbacks());

        template.sendBodyAndHeader("direct:sameLabel", null, SfnConstants.TASK_TOKEN, "tok-same-label");
        assertThat(counters.landed()).as("another endpoint's report").isEqualTo(6);
        SFN.stubFor(sendTaskSuccess().willReturn(accepted("req-success")));
        for (String output : new String[] {"{\"ok\":true}", "not json"}) {
            template.request("direct:succeed", e -> {
                e.getMessage().setHeader(SfnConstants.TASK_TOKEN, "tok-success");
                e.getMessage().setBody(output);
            });
        }

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getManagementName() + ",type=endpoints,name=*"), null);
        ObjectName endpoint = names.stream().filter(name -> name.toString().contains("ignoreClosedTask")).findFirst()
                .orElseThrow(() -> new AssertionError("no aws-sfn-fail endpoint among " + names));
        assertThat(jmx.getAttribute(endpoint, "ReportsLanded")).isEqualTo(6L);
        assertThat(jmx.getAttribute(endpoint, "ThrottledCalls")).isEqualTo(1L);
        assertThat(jmx.getAttribute(endpoint, "KmsFallbacks")).isEqualTo(1L);
        assertThat(jmx.getAttribute(endpoint, "ClosedTasks")).isEqualTo(1L);
        assertThat(jmx.getAttribute(endpoint, "ReportsRefused")).isEqualTo(2L);
        assertThat(jmx.getAttribute(endpoint, "FailuresByErrorCode")).isEqualTo("{TaskDoesNotExist=1}");
        assertThat(jmx.getAttribute(endpoint, "LastRequestId")).isEqualTo("req-landed");

        DevConsoleRegistry consoles = DevConsoleRegistry.get(context);
        consoles.loadDevConsoles(true);
        assertThat(consoles.getConsoleIDs()).contains("aws-sfn");
        DevConsole console = consoles.getConsole("aws-sfn").orElseThrow();
        JsonObject json = (JsonObject) console.call(DevConsole.MediaType.JSON);
        JsonObject endpoints = (JsonObject) json.get("endpoints");
        assertThat(endpoints.keySet()).containsExactly("aws-sfn-fail://counted?error=Other",
                "aws-sfn-fail://counted?ignoreClosedTask=true", "aws-sfn-success://counted");
        JsonObject success = (JsonObject) endpoints.get("aws-sfn-success://counted");
        assertThat(success.get("landed")).isEqualTo(1L);
        assertThat(success.get("lastRequestId")).isEqualTo("req-success");
        assertThat(((Map<?, ?>) success.get("refused")).get("output")).isEqualTo(1L);
        assertThat(((JsonObject) endpoints.get("aws-sfn-fail://counted?error=Other")).get("landed")).isEqualTo(1L);
        JsonObject figures = (JsonObject) endpoints.get("aws-sfn-fail://counted?ignoreClosedTask=true");
        assertThat(figures.get("landed")).isEqualTo(6L);
        assertThat(figures.get("throttledCalls")).isEqualTo(1L);
        assertThat(figures.get("failed")).isEqualTo(Map.of("TaskDoesNotExist", 1L));
        assertThat((String) console.call(DevConsole.MediaType.TEXT))
                .contains("aws-sfn-fail://counted?ignoreClosedTask=true", "landed: 6", "kmsFallbacks: 1", "refused: {token=1, error=1, cause=0, output=0, body=0}");
    }

    private void report(String token, String error, String cause) {
        template.request("direct:report", exchange -> {
            if (token != null) {
                exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
            }
            exchange.getMessage().setHeader(SfnConstants.ERROR, error);
            if (cause != null) {
                exchange.getMessage().setHeader(SfnConstants.CAUSE, cause);
            }
        });
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder forToken(String token) {
        return sendTaskFailure().withRequestBody(matchingJsonPath("$.taskToken", equalTo(token)));
    }
}
