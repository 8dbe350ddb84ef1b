package io.github.sfnfail.camel;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A synchronous SfnClient of the user's own: its calls never block the route's thread or the endpoint's other reports,
 * and whatever a call throws, an Error too, fails that report alone.
 */
class SynchronousClientTest extends WireMockSfnTestSupport {

    private static final int CALLERS = 20;
    private static final int ANSWER_MILLIS = 200;

    /** Answers late without a server thread per request, so the server is not what serializes the calls. */
    @RegisterExtension
    static final WireMockExtension SLOW_SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(60)
                    .asynchronousResponseEnabled(true).asynchronousResponseThreads(8))
            .build();

    private final AtomicBoolean breakNextCall = new AtomicBoolean();
    private final List<SfnClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(SfnClient::close);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("slowClient", syncClient(SLOW_SFN.baseUrl(), null));
                context.getRegistry().bind("breakingClient", syncClient(SFN.baseUrl(), new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (breakNextCall.getAndSet(false)) {
                            // what a mixed SDK on the class path gives at the first call
                            throw new NoClassDefFoundError("software/amazon/awssdk/endpoints/EndpointUrl");
                        }
                    }
                }));
                from("direct:slow").to("aws-sfn-fail:slow?awsSfnClient=#slowClient")
                        .process(e -> e.setProperty("completedOn", Thread.currentThread().getName()));
                from("direct:breaking").to("aws-sfn-fail:breaking?awsSfnClient=#breakingClient");
            }
        };
    }

    @Test
    void anErrorThrownByTheClientFailsThatReportAloneAndTheNextIsSent() throws Exception {
        stubAccepted();
        breakNextCall.set(true);

        Exchange broken = report("direct:breaking", TOKEN).get(10, TimeUnit.SECONDS);
        Exchange next = report("direct:breaking", TOKEN).get(10, TimeUnit.SECONDS);

        // Camel wraps a Throwable that is not an Exception
        assertThat(broken.getException()).hasRootCauseInstanceOf(NoClassDefFoundError.class);
        assertThat(next.getException()).isNull();
        assertThat(next.getMessage().getHeader(SfnConstants.REQUEST_ID)).isEqualTo("req-1");
        assertThat(requestsReceived()).as("only the second report reached the wire").isEqualTo(1);
    }

    @Test
    void concurrentReportsThroughASynchronousClientTakeAboutTheTimeOfOneCall() throws Exception {
        SLOW_SFN.stubFor(sendTaskFailure().willReturn(accepted("slow").withFixedDelay(ANSWER_MILLIS)));
        Set<String> callers = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Exchange>> reports = new ArrayList<>();

        long start = System.nanoTime();
        for (int i = 0; i < CALLERS; i++) {
            reports.add(report("direct:slow", "token-" + i));
        }
        for (CompletableFuture<Exchange> report : reports) {
            Exchange exchange = report.get(30, TimeUnit.SECONDS);
            assertThat(exchange.getException()).isNull();
            callers.add(exchange.getProperty("completedOn", String.class));
        }
        long totalMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(SLOW_SFN.findAll(sendTaskFailureRequested())).hasSize(CALLERS);
        // one after the other on one thread they take 4 s; in flight together, about the time of one call
        assertThat(totalMillis).as("ms until %d reports of %d ms each completed", CALLERS, ANSWER_MILLIS)
                .isLessThan(CALLERS * ANSWER_MILLIS / 2);
        assertThat(callers).as("threads that went on with the exchanges").allMatch(name -> name.contains("AwsSfnSyncClient"));
    }

    private CompletableFuture<Exchange> report(String route, String token) {
        return template.asyncSend(route, e -> e.getMessage().setHeader(SfnConstants.TASK_TOKEN, token));
    }

    private SfnClient syncClient(String endpoint, ExecutionInterceptor interceptor) {
        SfnClient client = SfnClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(override -> {
                    if (interceptor != null) {
                        override.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
        clients.add(client);
        return client;
    }
}
