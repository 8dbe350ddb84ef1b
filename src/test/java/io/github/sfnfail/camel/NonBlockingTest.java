package io.github.sfnfail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report in flight does not hold a Camel thread: one thread can have hundreds of reports in flight.
 */
class NonBlockingTest extends WireMockSfnTestSupport {

    private static final int EXCHANGES = 200;
    private static final int ANSWER_MILLIS = 200;

    /** Answers late without holding a server thread per request, so the server is not what serializes the calls. */
    @RegisterExtension
    static final WireMockExtension SLOW_SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(300)
                    .asynchronousResponseEnabled(true).asynchronousResponseThreads(8))
            .build();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail")
                        .to("aws-sfn-fail:slow?overrideEndpoint=true&uriEndpointOverride=" + SLOW_SFN.baseUrl())
                        .process(e -> e.setProperty("completedOn", Thread.currentThread().getName()));
            }
        };
    }

    @Test
    void twoHundredReportsOfTwoHundredMillisecondsSentByOneThreadCompleteInSecondsNotForty() throws Exception {
        SLOW_SFN.stubFor(sendTaskFailure().willReturn(accepted("slow").withFixedDelay(ANSWER_MILLIS)));
        AsyncProducer producer = context.getEndpoint("direct:fail").createAsyncProducer();
        producer.start();
        CountDownLatch done = new CountDownLatch(EXCHANGES);
        List<Exchange> exchanges = new ArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();

        long start = System.nanoTime();
        for (int i = 0; i < EXCHANGES; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, "token-" + i);
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.countDown());
        }
        long sendingMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(done.await(30, TimeUnit.SECONDS)).as("all reports answered").isTrue();
        long totalMillis = (System.nanoTime() - start) / 1_000_000;
        exchanges.forEach(e -> threads.add(e.getProperty("completedOn", String.class)));

        assertThat(exchanges).allSatisfy(e -> assertThat(e.getException()).isNull());
        assertThat(SLOW_SFN.findAll(sendTaskFailureRequested())).hasSize(EXCHANGES);
        assertThat(sendingMillis).as("ms for one thread to hand over %d reports", EXCHANGES)
                .isLessThan(EXCHANGES * ANSWER_MILLIS / 4);
        // one after the other they would take 40 s; in flight together, about one second
        assertThat(totalMillis).as("ms until all %d answers of %d ms arrived", EXCHANGES, ANSWER_MILLIS)
                .isLessThan(EXCHANGES * ANSWER_MILLIS / 2);
        assertThat(threads).as("threads that completed the exchanges").hasSizeLessThan(20)
                .as("the route goes on on Camel's threads, not the SDK's").allMatch(name -> name.contains("AwsSfnReply"));
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("sdk-async-response") || name.startsWith("aws-java-sdk-NettyEventLoop")))
                .as("SDK client threads").hasSizeLessThan(20);
        producer.stop();
    }
}
