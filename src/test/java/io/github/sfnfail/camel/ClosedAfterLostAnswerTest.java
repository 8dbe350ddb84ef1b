package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import io.github.sfnfail.camel.engine.AnswerSender;
import io.github.sfnfail.camel.engine.TaskCall;
import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.TaskMarks;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.fail.SfnFailEndpoint;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retry of a report that finds the task closed, after an attempt whose answer was lost, means that attempt landed
 * (the retry after a lost answer of boto/boto3#4044): the report is done, whatever ignoreClosedTask says. After
 * attempts that were all answered, a closed task keeps its meaning: someone else closed it.
 */
class ClosedAfterLostAnswerTest extends WireMockSfnTestSupport {

    private static final String TASK_A = TOKEN.replace("Two", "TskA");
    private static final String TASK_B = TOKEN.replace("Two", "TskB");

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // three attempts where two make the point: on a busy machine (SDK 2.57) the retry once went out on the
                // connection the lost answer had just broken and failed with it, before reaching the stand-in
                from("direct:report").to("aws-sfn-fail:report?maxAttempts=3");
                // attempts in reserve and a limit of 10 s: on a busy CI machine (SDK 2.57, beside three other builds)
                // the attempt after the slow one was cut at a 6 s limit too, before the closed task's answer came back
                from("direct:attemptLimit").to("aws-sfn-fail:attemptLimit?maxAttempts=4&apiCallAttemptTimeout=10s");
                from("direct:twoTasks")
                        .doTry()
                            .setHeader(SfnConstants.TASK_TOKEN, constant(TASK_A))
                            .to("aws-sfn-fail:twoTasks?maxAttempts=1")
                        .doCatch(Exception.class)
                            .setProperty("taskAFailedWith", exceptionMessage())
                        .end()
                        .setHeader(SfnConstants.TASK_TOKEN, constant(TASK_B))
                        .to("aws-sfn-fail:twoTasks?maxAttempts=1");
                from("direct:redelivered")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .to("aws-sfn-fail:redelivered?maxAttempts=1");
            }
        };
    }

    @Test
    void resetConnectionThenClosedTaskMeansTheReportLanded() {
        firstThenClosed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        try (LogCapture logs = new LogCapture()) {
            Exchange result = send("direct:report");

            assertLanded(result);
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains("answer was lost", "most likely landed",
                        TaskTokens.mask(TOKEN)).doesNotContain(TOKEN);
            });
        }
    }

    @Test
    void serverErrorThenClosedTaskMeansTheReportLanded() {
        firstThenClosed(awsError(503, "ServiceUnavailable", "Service Unavailable"));

        assertLanded(send("direct:report"));
    }

    @Test
    void attemptPastItsTimeLimitThenClosedTaskMeansTheReportLanded() {
        firstThenClosed(accepted("too-late").withFixedDelay(60_000));

        Exchange result = send("direct:attemptLimit");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
        // the slow answer's attempt, then the one that found the task closed (and at most those in reserve)
        assertThat(requestsReceived()).isBetween(2, 4);
    }

    @Test
    void aUsersOwnClientIsWatchedToo() throws Exception {
        firstThenClosed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        try (SfnClient ownClient = SfnClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(SFN.baseUrl()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(3)))
                .build()) {
            context.getRegistry().bind("ownClient", ownClient);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ownClient").to("aws-sfn-fail:ownClient?awsSfnClient=#ownClient");
                }
            });

            assertLanded(send("direct:ownClient"));
        }
    }

    @Test
    void everyStepFunctionsClientBuiltWithTheJarOnItsClassPathCarriesTheWatcher() {
        SfnFailConfiguration configuration = new SfnFailConfiguration();
        configuration.setRegion(REGION);
        try (DefaultSfnClientFactory factory = new DefaultSfnClientFactory();
             SfnAsyncClient built = factory.createAsyncClient(configuration);
             SfnAsyncClient users = SfnAsyncClient.builder().region(Region.of(REGION)).build()) {

            assertThat(TaskCalls.of(built).watchesAttempts()).as("built by the component").isTrue();
            assertThat(TaskCalls.of(users).watchesAttempts()).as("built by the application").isTrue();
        }
    }

    /**
     * A client that does not show the watcher (a decorator of the application's, or one whose SDK does not see the jar's
     * execution.interceptors) gets the watch per request. Shown with a decorator of a client that has it already: the
     * watch per request adds a second watcher, and each attempt still counts once.
     */
    @Test
    void aClientWithoutTheWatcherIsWatchedPerRequestAndEachAttemptCountsOnce() throws Exception {
        try (SfnAsyncClient client = SfnAsyncClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(SFN.baseUrl()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(3)))
                .build()) {
            SfnAsyncClient decorator = new SfnAsyncClient() {
                @Override
                public CompletableFuture<SendTaskFailureResponse> sendTaskFailure(SendTaskFailureRequest request) {
                    return client.sendTaskFailure(request);
                }

                @Override
                public String serviceName() {
                    return client.serviceName();
                }

                @Override
                public void close() {
                }
            };
            TaskCalls unwatched = TaskCalls.of(decorator);
            assertThat(unwatched.watchesAttempts()).isFalse();
            AnswerSender sender = new AnswerSender(false, "at the stand-in");
            SendTaskFailureRequest request = SendTaskFailureRequest.builder().taskToken(TOKEN).error("E").build();

            firstThenClosed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
            assertThat(sender.send(unwatched, TaskCall.FAILURE, request, false, null).join().closure())
                    .as("a lost answer, then closed").isEqualTo(AnswerSender.Closure.CLOSED_BY_THIS_REPORT);

            SFN.resetAll();
            SFN.stubFor(sendTaskFailure().willReturn(taskClosed()));
            AnswerSender.Result<SendTaskFailureResponse> closedByOthers = sender.send(unwatched, TaskCall.FAILURE,
                    request, false, null).join();
            assertThat(closedByOthers.error()).as("answered at once, closed: someone else closed it")
                    .isInstanceOf(TaskTimedOutException.class);
            assertThat(closedByOthers.unknownOutcome()).isFalse();
        }
    }

    @Test
    void camelRedeliveryThatFindsTheTaskClosedAfterALostAnswerMeansTheReportLanded() {
        firstThenClosed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Exchange result = send("direct:redelivered");

        assertLanded(result);
        assertThat(result.getProperty(TaskMarks.UNKNOWN_OUTCOME.property())).as("the mark goes once the report is done").isNull();
    }

    @Test
    void okStatusWhoseBodyIsLostThenClosedTaskMeansTheReportLanded() throws Exception {
        try (RawSocketStandIn sfn = new RawSocketStandIn(RawSocketStandIn.okWithBodyCutByReset(),
                RawSocketStandIn.json(400, "{\"__type\":\"TaskTimedOut\",\"message\":\"Provided task does not exist "
                                           + "anymore\"}"))) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bodyLost").to("aws-sfn-fail:bodyLost?maxAttempts=3&overrideEndpoint=true"
                                               + "&uriEndpointOverride=" + sfn.baseUrl());
                }
            });

            Exchange result = send("direct:bodyLost");

            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
            assertThat(sfn.requests()).isEqualTo(2);
            assertThat(sfn.bodies()).allSatisfy(body -> assertThat(body).contains(TOKEN));
        }
    }

    @Test
    void anUnknownOutcomeForOneTaskDoesNotMakeAnotherTasksClosedTaskLanded() {
        SFN.stubFor(sendTaskFailure().withRequestBody(matchingJsonPath("$.taskToken", equalTo(TASK_A)))
                .willReturn(awsError(503, "ServiceUnavailable", "Service Unavailable")));
        SFN.stubFor(sendTaskFailure().withRequestBody(matchingJsonPath("$.taskToken", equalTo(TASK_B)))
                .willReturn(taskClosed()));

        Exchange result = template.request("direct:twoTasks", e -> { });

        assertThat(result.getProperty("taskAFailedWith", String.class)).contains("ServiceUnavailable");
        assertThat(result.getException()).as("task B was closed by someone else")
                .isInstanceOf(TaskTimedOutException.class);
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isNull();
        SfnFailEndpoint endpoint = context.getEndpoint("aws-sfn-fail:twoTasks?maxAttempts=1", SfnFailEndpoint.class);
        assertThat(endpoint.getCounters().closedByThisReport()).isZero();
        assertThat(result.getProperty(TaskMarks.UNKNOWN_OUTCOME.property()).toString()).as("names task A by digest only")
                .contains(TaskMarks.digest(TASK_A)).doesNotContain(TASK_A);
    }

    @Test
    void throttledThenClosedTaskWasClosedBySomeoneElse() {
        firstThenClosed(awsError(400, "ThrottlingException", "Rate exceeded"));

        Exchange result = send("direct:report");

        assertThat(result.getException()).isInstanceOf(TaskTimedOutException.class);
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isNull();
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void closedTaskAtTheFirstAttemptWasClosedBySomeoneElse() {
        SFN.stubFor(sendTaskFailure().willReturn(taskClosed()));

        Exchange result = send("direct:report");

        assertThat(result.getException()).isInstanceOf(TaskTimedOutException.class);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    private static void firstThenClosed(ResponseDefinitionBuilder firstAnswer) {
        SFN.stubFor(sendTaskFailure().inScenario("report").whenScenarioStateIs(STARTED)
                .willReturn(firstAnswer).willSetStateTo("closed"));
        SFN.stubFor(sendTaskFailure().inScenario("report").whenScenarioStateIs("closed")
                .willReturn(taskClosed()));
    }

    private Exchange send(String route) {
        return template.request(route, e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, TOKEN));
    }

    private static void assertLanded(Exchange result) {
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SfnConstants.TASK_CLOSED)).isEqualTo(true);
        assertThat(requestsReceived()).isEqualTo(2);
    }
}
