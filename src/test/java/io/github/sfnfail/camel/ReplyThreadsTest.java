package io.github.sfnfail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a route goes on after its answer's reply, when the replies queue up: always on the endpoint's reply threads,
 * never on the HTTP client's I/O threads, whose stall would hold every poll and answer of the client.
 */
class ReplyThreadsTest extends WireMockSfnTestSupport {

    private static final int EXCHANGES = 60;

    /** An application whose default thread pool is small: a queue of its own fills at once. */
    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        ThreadPoolProfile profile = context.getExecutorServiceManager().getDefaultThreadPoolProfile();
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(2);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:busy")
                        .to("aws-sfn-fail:busy")
                        .process(e -> e.setProperty("continuedOn", Thread.currentThread().getName()))
                        // blocking work after the reply: the replies queue up behind it
                        .delay(20).syncDelayed();
            }
        };
    }

    @Test
    void repliesThatQueueUpBehindBlockingRouteWorkNeverContinueTheRouteOnTheClientsIoThreads() throws Exception {
        SFN.stubFor(sendTaskFailure().willReturn(accepted("busy")));
        AsyncProducer producer = context.getEndpoint("direct:busy").createAsyncProducer();
        producer.start();
        CountDownLatch done = new CountDownLatch(EXCHANGES);
        List<Exchange> exchanges = new ArrayList<>();

        for (int i = 0; i < EXCHANGES; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(SfnConstants.TASK_TOKEN, "token-" + i);
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.countDown());
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).as("all reports answered").isTrue();
        assertThat(exchanges).allSatisfy(e -> assertThat(e.getException()).isNull())
                .extracting(e -> e.getProperty("continuedOn", String.class))
                // a reply that was in before the caller let go goes on on the caller's thread (here the test's)
                .as("threads the route went on on")
                .allMatch(name -> name.contains("AwsSfnReply") || name.equals(Thread.currentThread().getName()));
        producer.stop();
    }
}
