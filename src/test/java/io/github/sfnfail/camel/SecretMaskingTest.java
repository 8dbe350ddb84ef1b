package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.fail.SfnFailEndpoint;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task tokens are bearer credentials: neither they nor AWS secrets appear in full in logs, exception messages or printed
 * endpoint URIs.
 */
class SecretMaskingTest extends WireMockSfnTestSupport {

    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDTESTSESSIONTOKENVALUE";
    private static final String URI_TOKEN = "AAAAKgAAAAIAAAAAAAAAAQ+UriOptionToken/WithPlusAndSlash+xyz==";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").routeId("header-token").to("aws-sfn-fail:worker");
                from("direct:retry").to("aws-sfn-fail:retry?maxAttempts=3");
                from("direct:closed").to("aws-sfn-fail:closed?ignoreClosedTask=true");
                from("direct:succeed").setBody(constant("{\"ok\":true}")).to("aws-sfn-success:worker?maxAttempts=2");
                from("direct:badOutput").setBody(constant("not json")).to("aws-sfn-success:worker?maxAttempts=2");
                from("direct:beat").to("aws-sfn-heartbeat:worker?maxAttempts=2&period=100ms")
                        .process(e -> Thread.sleep(2_000));
                from("direct:derived")
                        .doTry()
                            .throwException(new IllegalStateException("stock service answered 503"))
                        .doCatch(Exception.class)
                            .to("aws-sfn-fail:derived?maxAttempts=1")
                        .end();
                from("direct:uri").routeId("uri-token")
                        .to("aws-sfn-fail:uri?taskToken=RAW(" + URI_TOKEN + ")&useSessionCredentials=true"
                            + "&accessKey=" + ACCESS_KEY + "&secretKey=RAW(" + SECRET_KEY + ")&sessionToken=RAW("
                            + SESSION_TOKEN + ")&region=" + REGION + "&overrideEndpoint=true&uriEndpointOverride="
                            + SFN.baseUrl());
            }
        };
    }

    /*
     * The service's own messages do not quote the token; if one ever did, the SDK's DEBUG log of the raw error would show
     * it (outside this component's control), while the exception reaching the route is masked (AwsErrorMappingTest).
     */
    @Test
    void noTokenOrSecretInAnyLogLineOrExceptionThroughSucceedingFailingAndRefusedCalls() throws Exception {
        List<Throwable> exceptions = new ArrayList<>();
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            stubAccepted();
            send("direct:fail", TOKEN, exceptions);
            send("direct:uri", null, exceptions);

            SFN.resetAll();
            SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "InvalidToken", "Invalid Token: 'Invalid token'")));
            send("direct:fail", TOKEN, exceptions);
            SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'")));
            send("direct:uri", null, exceptions);
            send("direct:fail", TOKEN + "x".repeat(2048), exceptions);
            context.getRouteController().stopRoute("uri-token");
            lines = logs.lines();
        }

        assertThat(exceptions).hasSize(3);
        assertThat(lines).as("something was logged at TRACE").hasSizeGreaterThan(10);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(TaskTokens.mask(TOKEN)));
        for (String secret : List.of(TOKEN, URI_TOKEN, SECRET_KEY, SESSION_TOKEN)) {
            assertThat(lines.stream().filter(line -> line.contains(secret) && !fromWireLogger(line))
                    .map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1))).distinct())
                    .as("loggers that printed a secret").isEmpty();
            assertThat(exceptions).noneSatisfy(e -> assertThat(fullText(e)).contains(secret));
        }
    }

    @Test
    void noTokenInAnyLogLineOrExceptionThroughRetriesClosedTasksAndDerivedCauses() throws Exception {
        List<Throwable> exceptions = new ArrayList<>();
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            SFN.stubFor(sendTaskFailure().inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(awsError(400, "ThrottlingException", "Rate exceeded")).willSetStateTo("reset"));
            SFN.stubFor(sendTaskFailure().inScenario("flaky").whenScenarioStateIs("reset")
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
            SFN.stubFor(sendTaskFailure().inScenario("flaky").whenScenarioStateIs("ok").willReturn(accepted("r")));
            send("direct:retry", TOKEN, exceptions);

            SFN.resetAll();
            SFN.stubFor(sendTaskFailure().willReturn(aResponse().withStatus(500)));
            send("direct:retry", TOKEN, exceptions);

            SFN.resetAll();
            SFN.stubFor(sendTaskFailure().willReturn(awsError(400, "TaskTimedOut", "Task Timed Out")));
            send("direct:closed", TOKEN, exceptions);

            SFN.resetAll();
            stubAccepted();
            send("direct:derived", TOKEN, exceptions);
            lines = logs.lines();
        }

        assertThat(exceptions).as("only the exhausted retries fail").hasSize(1);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("already closed"));
        assertThat(lines.stream().filter(line -> line.contains(TOKEN) && !fromWireLogger(line)))
                .as("lines with the token").isEmpty();
        assertThat(exceptions).noneSatisfy(e -> assertThat(fullText(e)).contains(TOKEN));
        assertThat(SFN.findAll(sendTaskFailureRequested()).get(0).getBodyAsString()).contains("stock service answered 503");
    }

    @Test
    void noTokenInAnyLogLineOrExceptionOfSuccessReportsAndHeartbeats() throws Exception {
        List<Throwable> exceptions = new ArrayList<>();
        List<String> lines;
        try (LogCapture logs = new LogCapture()) {
            SFN.stubFor(sendTaskSuccess().inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("closed"));
            SFN.stubFor(sendTaskSuccess().inScenario("lost").whenScenarioStateIs("closed")
                    .willReturn(awsError(400, "TaskTimedOut", "Task Timed Out")));
            send("direct:succeed", TOKEN, exceptions);
            send("direct:badOutput", TOKEN, exceptions);
            SFN.stubFor(sendTaskHeartbeat().inScenario("beats").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(accepted("beat")).willSetStateTo("failing"));
            SFN.stubFor(sendTaskHeartbeat().inScenario("beats").whenScenarioStateIs("failing")
                    .willReturn(aResponse().withStatus(500)).willSetStateTo("closed"));
            SFN.stubFor(sendTaskHeartbeat().inScenario("beats").whenScenarioStateIs("closed")
                    .willReturn(awsError(400, "TaskTimedOut", "Task Timed Out")));
            send("direct:beat", TOKEN, exceptions);
            lines = logs.lines();
        }

        assertThat(exceptions).as("only the output that is not JSON").hasSize(1);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("heartbeats stopped", TaskTokens.mask(TOKEN)));
        assertThat(lines.stream().filter(line -> line.contains(TOKEN) && !fromWireLogger(line)))
                .as("lines with the token").isEmpty();
        assertThat(exceptions).noneSatisfy(e -> assertThat(fullText(e)).contains(TOKEN));
    }

    @Test
    void printedEndpointUriMasksTokenAndSecrets() {
        Endpoint endpoint = context.getRoute("uri-token").getEndpoint();
        Endpoint producerEndpoint = context.getEndpoints().stream()
                .filter(e -> e instanceof SfnFailEndpoint && ((SfnFailEndpoint) e).getLabel().equals("uri"))
                .findFirst().orElseThrow();

        assertThat(endpoint.toString()).doesNotContain(URI_TOKEN);
        for (String secret : List.of(URI_TOKEN, SECRET_KEY, SESSION_TOKEN)) {
            assertThat(producerEndpoint.toString()).doesNotContain(secret);
        }
        assertThat(producerEndpoint.toString()).contains("taskToken=xxxxxx");
    }

    /*
     * The SDK's signer logs the canonical request (with the session token header) and Netty's wire logger the whole
     * request (with the token in its body) at DEBUG: docs/operations.md tells users to keep these two at INFO. Everything else,
     * Camel and this component included, is checked at TRACE.
     */
    private static final List<String> WIRE_LOGGERS = List.of(
            "DEBUG software.amazon.awssdk.http.auth.aws.internal.signer.",
            "DEBUG io.netty.handler.logging.LoggingHandler ");

    private static boolean fromWireLogger(String line) {
        return WIRE_LOGGERS.stream().anyMatch(line::startsWith);
    }

    private void send(String uri, String token, List<Throwable> exceptions) {
        Exchange result = template.request(uri, e -> {
            if (token != null) {
                e.getMessage().setHeader(SfnConstants.TASK_TOKEN, token);
            }
        });
        if (result.getException() != null) {
            exceptions.add(result.getException());
        }
    }

    private static String fullText(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text + " " + e;
    }
}
