package io.github.sfnfail.camel;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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

    private static final AllInFlightBarrier BARRIER = new AllInFlightBarrier(CALLERS);

    /** Answers no call until all of them are in flight: calls made one after the other never get there. */
    @RegisterExtension
    static final WireMockExtension SLOW_SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(CALLERS + 20)
                    .extensions(BARRIER))
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
    void concurrentReportsThroughASynchronousClientAreAllInFlightAtOnce() throws Exception {
        SLOW_SFN.stubFor(sendTaskFailure().willReturn(accepted("slow")));
        Set<String> callers = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Exchange>> reports = new ArrayList<>();

        for (int i = 0; i < CALLERS; i++) {
            reports.add(report("direct:slow", "token-" + i));
        }
        assertThat(BARRIER.allArrivedWithin(30)).as("all %d calls reached the service before any was answered", CALLERS)
                .isTrue();
        for (CompletableFuture<Exchange> report : reports) {
            Exchange exchange = report.get(30, TimeUnit.SECONDS);
            assertThat(exchange.getException()).isNull();
            callers.add(exchange.getProperty("completedOn", String.class));
        }

        assertThat(SLOW_SFN.findAll(sendTaskFailureRequested())).hasSize(CALLERS);
        assertThat(BARRIER.mostInFlight()).as("calls the service held at once before it answered any").isEqualTo(CALLERS);
        assertThat(callers).as("threads that went on with the exchanges").allMatch(name -> name.contains("AwsSfnSyncClient"));
    }

    /**
     * Holds each call until {@code parties} calls have arrived, then answers them all. A call that waits longer than
     * {@link #WAIT_SECONDS} is answered anyway, so a client that makes its calls one after the other fails the test
     * on {@link #mostInFlight()} instead of hanging it.
     */
    static final class AllInFlightBarrier implements ResponseDefinitionTransformerV2 {

        private static final int WAIT_SECONDS = 40;

        private final CountDownLatch arrived;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger mostInFlight = new AtomicInteger();

        AllInFlightBarrier(int parties) {
            arrived = new CountDownLatch(parties);
        }

        boolean allArrivedWithin(int seconds) throws InterruptedException {
            return arrived.await(seconds, TimeUnit.SECONDS);
        }

        int mostInFlight() {
            return mostInFlight.get();
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            arrived.countDown();
            try {
                arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return serveEvent.getResponseDefinition();
        }

        @Override
        public String getName() {
            return "all-in-flight-barrier";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }
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
