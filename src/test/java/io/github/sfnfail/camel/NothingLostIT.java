package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.sfnfail.camel.examples.ExampleTarget;
import io.github.sfnfail.camel.examples.StepFunctionsDriver;
import io.github.sfnfail.camel.examples.StepFunctionsLocal;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 real tasks of the emulator are failed through a proxy that breaks about a fifth of the calls (throttling, 503,
 * connection reset) before they reach it. With SDK retries and Camel redelivery every task is reported and no exchange
 * is dropped. The faults never reach the emulator, so a task reaches it once, unless the answer to a call that did
 * reach it was lost on the way back (the proxy under load on a busy machine): then the report is sent again, which the
 * emulator accepts again, and to which AWS would answer TaskTimedOut, counted as landed. That is rare and harmless; the
 * test allows it for at most one task in a hundred, and names their calls.
 */
class NothingLostIT {

    private static final int TASKS = 1000;
    private static final double FAULT_RATE = 0.2;
    private static final StepFunctionsLocal EMULATOR = StepFunctionsLocal.shared();
    private static final FaultInjector FAULTS = new FaultInjector();

    @RegisterExtension
    static final WireMockExtension PROXY = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(50).extensions(FAULTS))
            .build();

    @Test
    void everyTaskIsReportedDespiteOneCallInFiveFailing() throws Exception {
        PROXY.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(EMULATOR.endpoint())));
        try (CamelContext context = new DefaultCamelContext()) {
            ExampleTarget.local(EMULATOR.endpoint(), null).configure(context, "aws2-step-functions");
            AtomicInteger redeliveries = new AtomicInteger();
            Map<String, List<String>> redeliveredFor = new java.util.concurrent.ConcurrentHashMap<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:report")
                            .errorHandler(defaultErrorHandler().maximumRedeliveries(10).redeliveryDelay(50)
                                    .onRedelivery(e -> {
                                        redeliveries.incrementAndGet();
                                        Exception why = e.getException() != null ? e.getException()
                                                : e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                                        redeliveredFor.computeIfAbsent(
                                                e.getMessage().getHeader(SfnConstants.TASK_TOKEN, String.class),
                                                t -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                                .add(String.valueOf(why));
                                    }))
                            .to("aws-sfn-fail:lossless?retryMode=STANDARD&maxAttempts=2&region=us-east-1"
                                + "&accessKey=local&secretKey=local&overrideEndpoint=true&uriEndpointOverride="
                                + PROXY.baseUrl());
                }
            });
            context.start();
            StepFunctionsDriver driver = new StepFunctionsDriver(context);
            String name = "lossless-" + System.nanoTime();
            String activityArn = driver.createActivity(name);
            String stateMachineArn = driver.createStateMachine(name, activityArn, "arn:aws:iam::123456789012:role/local");
            List<String> executions = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                executions.add(driver.startExecution(stateMachineArn, "{}"));
            }
            List<String> tokens = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tokens.size() < TASKS && System.nanoTime() < deadline) {
                driver.getActivityTask(activityArn).map(GetActivityTaskResponse::taskToken).ifPresent(tokens::add);
            }
            assertThat(tokens).as("tokens handed out").hasSize(TASKS).doesNotHaveDuplicates();

            FAULTS.enable();
            ProducerTemplate template = context.createProducerTemplate();
            List<CompletableFuture<Exchange>> reports = new ArrayList<>();
            for (String token : tokens) {
                reports.add(template.asyncSend("direct:report", e -> e.getMessage().setHeaders(Map.of(
                        SfnConstants.TASK_TOKEN, token, SfnConstants.ERROR, "Lossless"))));
            }
            List<Exchange> results = reports.stream().map(CompletableFuture::join).toList();
            FAULTS.disable();

            assertThat(results).allSatisfy(e -> assertThat(e.getException()).isNull());
            Map<String, Integer> forwarded = new HashMap<>();
            Map<String, Integer> attempts = new HashMap<>();
            Map<String, List<String>> journal = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (ServeEvent event : PROXY.getAllServeEvents()) {
                String token = json.readTree(event.getRequest().getBodyAsString()).get("taskToken").asText();
                attempts.merge(token, 1, Integer::sum);
                journal.computeIfAbsent(token, t -> new ArrayList<>()).add(event.getRequest().getLoggedDate().toInstant()
                        + " " + event.getResponse().getStatus() + (event.getResponseDefinition().isProxyResponse()
                                ? " forwarded in " + event.getTiming().getTotalTime() + " ms" : " injected"));
                // a reset connection is journaled with status 200 too: count only what reached the emulator
                if (event.getResponseDefinition().isProxyResponse() && event.getResponse().getStatus() == 200) {
                    forwarded.merge(token, 1, Integer::sum);
                }
            }
            assertThat(forwarded).as("tasks reported").hasSize(TASKS);
            Map<String, List<String>> reportedAgain = new HashMap<>();
            forwarded.forEach((token, n) -> {
                if (n != 1) {
                    List<String> calls = new ArrayList<>(journal.get(token));
                    redeliveredFor.getOrDefault(token, List.of()).forEach(why -> calls.add("redelivered after: " + why));
                    reportedAgain.put(TaskTokens.mask(token), calls);
                }
            });
            if (!reportedAgain.isEmpty()) {
                System.out.println("Tasks that reached the emulator twice, with their calls: " + reportedAgain);
            }
            assertThat(reportedAgain).as("tasks that reached the emulator more than once, with the journal of their "
                                         + "calls").hasSizeLessThanOrEqualTo(TASKS / 100);
            assertThat(forwarded.values()).as("times a task reached the emulator").allSatisfy(n -> assertThat(n)
                    .isBetween(1, 2));
            assertThat(attempts.values()).as("attempts per task: SDK attempts x Camel deliveries")
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * 11));
            assertThat(FAULTS.injected.get()).as("faults injected").isBetween(TASKS / 10, TASKS / 3);
            assertThat(redeliveries.get()).as("Camel redeliveries").isLessThan(FAULTS.injected.get());
            for (String execution : executions) {
                assertThat(driver.awaitEnd(execution)).as(execution).isEqualTo(ExecutionStatus.FAILED);
            }
        }
    }

    /** Answers about one call in five with a transient fault instead of forwarding it. */
    static final class FaultInjector implements ResponseDefinitionTransformerV2 {

        private final Random random = new Random(20261125);
        private final AtomicInteger injected = new AtomicInteger();
        private volatile boolean enabled;

        void enable() {
            enabled = true;
        }

        void disable() {
            enabled = false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            double draw;
            synchronized (random) {
                draw = random.nextDouble();
            }
            if (!enabled || draw >= FAULT_RATE) {
                return serveEvent.getResponseDefinition();
            }
            int kind = injected.getAndIncrement() % 3;
            ResponseDefinitionBuilder fault = switch (kind) {
                case 0 -> aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
                case 1 -> aResponse().withStatus(503).withBody("Service Unavailable");
                default -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            };
            return fault.build();
        }

        @Override
        public String getName() {
            return "fault-injector";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }
    }
}
