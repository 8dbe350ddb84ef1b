package io.github.sfnfail.camel;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The activity consumer with the clients users really have, against a stand-in that long-polls as AWS does: a
 * registry SfnAsyncClient at the SDK's defaults (50 connections), a synchronous SfnClient, and the clients the
 * component builds with trust-all certificates or a proxy. No task is lost to a poll cut off, an answer that found no
 * connection, or a poll run on a thread that was not meant for it.
 */
class ActivityClientSetupsTest extends ActivityStandInTestSupport {

    private final List<SdkClient> clients = new CopyOnWriteArrayList<>();
    /** The threads each call of the registry clients started on, by operation. */
    private final Map<String, List<String>> callThreads = new ConcurrentHashMap<>();

    /**
     * As an application stops: Camel first, then the clients it used. A poll sent through a client already closed never
     * comes back, and the endpoint's stop would wait for it as for any poll still open (80 s).
     */
    @AfterEach
    void stopCamelThenCloseClients() {
        sfn.answerPollsAtOnce();
        if (context != null) {
            context.stop();
        }
        clients.forEach(SdkClient::close);
    }

    @Test
    void aRegistryClientAtSdkDefaultsKeepsConnectionsForTheAnswersOfAHundredPollers() throws Exception {
        sfn.holdFor(20_000);
        SfnAsyncClient defaults = track(SfnAsyncClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(sfn.url())).credentialsProvider(credentials()).build());
        context.getRegistry().bind("defaultClient", defaults);

        try (LogCapture logs = new LogCapture()) {
            start(route("registry", "aws-sfn-activity:" + ARN + "?concurrentPollers=100&awsSfnAsyncClient=#defaultClient"));

            // 50 connections, 10 of them kept for answers and heartbeats
            await().atMost(Duration.ofSeconds(15)).until(() -> sfn.openPolls() == 40);
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("concurrentPollers=100").contains("clientConnections=50")
                        .contains("at most 40 polls");
            });
        }
        sfn.offer(TOKEN, "{\"quantity\":1}");

        awaitAnswer("SendTaskSuccess");
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint("registry").getActivityCounters().succeeded() == 1);
        assertThat(endpoint("registry").getActivityCounters().answersLost()).isZero();
        assertThat(endpoint("registry").getActivityCounters().pollErrors()).as("no poll waited in vain for a connection")
                .isEmpty();
    }

    @Test
    void twoRoutesOnOneRegistryClientShareItsConnectionsAndLeaveSomeForTheAnswers() throws Exception {
        SfnAsyncClient small = track(SfnAsyncClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(sfn.url())).credentialsProvider(credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(10)
                        .readTimeout(Duration.ofSeconds(70)))
                .build());
        context.getRegistry().bind("smallClient", small);
        String options = "?concurrentPollers=8&clientConnections=10&awsSfnAsyncClient=#smallClient";

        try (LogCapture logs = new LogCapture()) {
            start(route("reserve", "aws-sfn-activity:" + ARN + options));
            start(route("ship", "aws-sfn-activity:" + ARN.replace("reserve-stock", "ship-order") + options));

            // 10 connections, 2 kept for answers and heartbeats: 8 polls for both routes together
            await().atMost(Duration.ofSeconds(15)).until(() -> sfn.openPolls() == 8);
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("[reserve] and ship").contains("up to 16 long polls")
                        .contains("clientConnections=10");
            });
        }
        Thread.sleep(500);
        assertThat(sfn.mostPollsOpenSinceLastAsked()).as("polls open at most, both routes together").isEqualTo(8);
        long offered = System.nanoTime();
        sfn.offer(TOKEN, "{\"quantity\":1}");

        // the polls are held 60 s: an answer that had to wait for a poll's connection would take that long
        ActivityStandIn.Answer success = awaitAnswer("SendTaskSuccess");
        assertThat(Duration.ofNanos(success.arrivedNanos() - offered)).isLessThan(Duration.ofSeconds(10));
        assertThat(endpoint("reserve").getActivityCounters().pollErrors()).isEmpty();
        assertThat(endpoint("ship").getActivityCounters().pollErrors()).isEmpty();
    }

    @Test
    void aClientWhoseReadTimeoutCutsLongPollsIsWarnedAboutWithTheFix() throws Exception {
        sfn.holdFor(10_000);
        SfnAsyncClient shortReads = track(SfnAsyncClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(sfn.url())).credentialsProvider(credentials())
                .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
                        .readTimeout(Duration.ofSeconds(2)))
                .build());
        context.getRegistry().bind("shortReads", shortReads);

        try (LogCapture logs = new LogCapture()) {
            start(route("short-reads", "aws-sfn-activity:" + ARN + "?awsSfnAsyncClient=#shortReads"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs.events())
                    .filteredOn(event -> event.getLevel() == Level.WARN
                                         && event.getFormattedMessage().contains("read timeout after"))
                    .singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("at least 70 s").contains("readTimeout(Duration.ofSeconds(70))")));
            assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("shows neither its connection pool nor its read timeout").contains("clientConnections=50"));
        }
    }

    @Test
    void aSynchronousClientPollsOnThreadsOfItsOwnAndNeverOnACallersThread() throws Exception {
        sfn.holdFor(20_000);
        SfnClient sync = track(SfnClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(sfn.url()))
                .credentialsProvider(credentials())
                .overrideConfiguration(override -> override.addExecutionInterceptor(new RecordingCallThreads()))
                .build());
        context.getRegistry().bind("syncClient", sync);

        Thread starting = new Thread(() -> {
            try {
                start(route("sync", "aws-sfn-activity:" + ARN + "?concurrentPollers=60&heartbeatPeriod=100ms"
                                    + "&awsSfnClient=#syncClient", 600));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "route-starter");
        starting.start();
        starting.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(starting.isAlive()).as("the route's start returned: no poll ran on the starting thread").isFalse();

        await().atMost(Duration.ofSeconds(15)).until(() -> sfn.openPolls() == 40);
        sfn.offer(TOKEN, "{\"quantity\":1}");
        awaitAnswer("SendTaskSuccess");

        assertThat(sfn.answers("SendTaskHeartbeat")).as("heartbeats while the route ran").isNotEmpty();
        assertThat(callThreads.get("GetActivityTask")).as("threads the polls ran on")
                .allMatch(name -> name.contains("AwsSfnActivityPoll"));
        assertThat(callThreads.get("SendTaskHeartbeat")).as("threads the heartbeats ran on")
                .allMatch(name -> name.contains("AwsSfnSyncClient"));
        assertThat(callThreads.get("SendTaskSuccess")).as("threads the answer ran on")
                .allMatch(name -> name.contains("AwsSfnSyncClient"));
    }

    /*
     * AWS holds a poll up to 60 s; the emulators answer at once. The HTTP client's default read timeout (30 s) would cut
     * such a poll off, the SDK would poll again, and the task being handed to the poll it cut would be lost. Every
     * client the component builds reads for 70 s, whatever else the options ask of the HTTP client.
     */
    @Test
    void aPollHeldPastTheHttpClientsDefaultReadTimeoutStillBringsItsTaskWhateverTheOptionMix() throws Exception {
        try (TunnelProxy proxy = new TunnelProxy()) {
            start(route("built", "aws-sfn-activity:" + ARN));
            start(route("trust-all", "aws-sfn-activity:" + ARN + "?trustAllCertificates=true"));
            start(route("proxy", "aws-sfn-activity:" + ARN + "?proxyHost=127.0.0.1&proxyPort=" + proxy.port()
                                 + "&proxyProtocol=HTTP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 3);
            int polls = sfn.polls();

            Thread.sleep(35_000);
            assertThat(sfn.polls()).as("the polls are still the first ones: none was cut off and sent again")
                    .isEqualTo(polls);
            for (int i = 0; i < 3; i++) {
                sfn.offer(TOKEN + i, "{\"quantity\":1}");
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> sfn.answers("SendTaskSuccess").size() == 3);
            for (String route : List.of("built", "trust-all", "proxy")) {
                assertThat(endpoint(route).getActivityCounters().tasksTaken()).as(route).isEqualTo(1);
                assertThat(endpoint(route).getActivityCounters().pollErrors()).as(route).isEmpty();
            }
            assertThat(proxy.tunnels()).as("the proxy route's calls went through the proxy").isPositive();
        }
    }

    private RouteBuilder route(String id, String uri) {
        return route(id, uri, 0);
    }

    private RouteBuilder route(String id, String uri, long workMillis) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(id).delay(workMillis).syncDelayed().setBody(constant("{\"reserved\":true}"));
            }
        };
    }

    private <C extends SdkClient> C track(C client) {
        clients.add(client);
        return client;
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private final class RecordingCallThreads implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            callThreads.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    operation -> new CopyOnWriteArrayList<>()).add(Thread.currentThread().getName());
        }
    }
}
