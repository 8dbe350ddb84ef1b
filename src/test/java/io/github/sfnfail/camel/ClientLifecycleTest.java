package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.fail.SfnFailEndpoint;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which client an endpoint uses, and who closes it.
 */
class ClientLifecycleTest {

    @RegisterExtension
    static final WireMockExtension SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void autowiredAsyncClientIsUsedAndNotClosed() throws Exception {
        stubAccepted();
        ClosingCountingAsyncClient client = new ClosingCountingAsyncClient(asyncClient());
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("anySfnClient", SfnAsyncClient.class, client);
            route(context, "aws-sfn-fail:autowired");
            context.start();

            context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-1");
            context.stop();

            SFN.verify(1, postRequestedFor(urlEqualTo("/")));
            assertThat(client.calls.get()).isEqualTo(1);
            assertThat(client.closes.get()).as("closed by the endpoint").isZero();
        }
        client.delegate.close();
    }

    @Test
    void synchronousClientNamedInTheUriIsUsedAndNotClosed() throws Exception {
        stubAccepted();
        AtomicInteger closes = new AtomicInteger();
        SfnClient sync = SfnClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA1", "secret1")))
                .endpointOverride(URI.create(SFN.baseUrl()))
                .build();
        SfnClient client = (SfnClient) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { SfnClient.class }, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closes.incrementAndGet();
                        return null;
                    }
                    return method.invoke(sync, args);
                });
        try (CamelContext context = new DefaultCamelContext()) {
            context.setAutowiredEnabled(false);
            context.getRegistry().bind("mySync", client);
            route(context, "aws-sfn-fail:sync?awsSfnClient=#mySync");
            context.start();

            context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-2");
            context.stop();
        }
        SFN.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("AWSStepFunctions.SendTaskFailure")));
        assertThat(closes.get()).isZero();
        sync.close();
    }

    @Test
    void clientBuiltByTheEndpointIsClosedWhenItStops() throws Exception {
        stubAccepted();
        AtomicInteger built = new AtomicInteger();
        ClosingCountingAsyncClient[] created = new ClosingCountingAsyncClient[1];
        try (CamelContext context = new DefaultCamelContext(); DefaultSfnClientFactory defaults = new DefaultSfnClientFactory()) {
            SfnFailComponent component = context.getComponent("aws-sfn-fail", SfnFailComponent.class);
            component.setClientFactory(configuration -> {
                built.incrementAndGet();
                created[0] = new ClosingCountingAsyncClient(defaults.createAsyncClient(configuration));
                return created[0];
            });
            route(context, "aws-sfn-fail:built?region=eu-west-1&accessKey=AKIA2&secretKey=secret2"
                           + "&overrideEndpoint=true&uriEndpointOverride=" + SFN.baseUrl());
            context.start();

            context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-3");
            assertThat(created[0].closes.get()).isZero();
            context.stop();
        }
        assertThat(built.get()).isEqualTo(1);
        assertThat(created[0].calls.get()).isEqualTo(1);
        assertThat(created[0].closes.get()).isEqualTo(1);
    }

    @Test
    void clientFactoryFromTheRegistryIsUsed() throws Exception {
        stubAccepted();
        AtomicInteger built = new AtomicInteger();
        try (CamelContext context = new DefaultCamelContext(); DefaultSfnClientFactory defaults = new DefaultSfnClientFactory()) {
            context.getRegistry().bind("myFactory", SfnClientFactory.class, (SfnClientFactory) configuration -> {
                built.incrementAndGet();
                return defaults.createAsyncClient(configuration);
            });
            route(context, "aws-sfn-fail:factory?region=eu-west-1&accessKey=AKIA3&secretKey=secret3"
                           + "&overrideEndpoint=true&uriEndpointOverride=" + SFN.baseUrl());
            context.start();

            context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-5");
            context.stop();
        }
        assertThat(built.get()).isEqualTo(1);
        SFN.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void endpointsShareTheComponentsEventLoopsWhichStopWithIt() throws Exception {
        stubAccepted();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    String target = "?region=eu-west-1&accessKey=AKIA4&secretKey=secret4&overrideEndpoint=true"
                                    + "&uriEndpointOverride=" + SFN.baseUrl();
                    from("direct:one").to("aws-sfn-fail:one" + target);
                    from("direct:two").to("aws-sfn-fail:two" + target);
                }
            });
            context.start();
            context.createProducerTemplate().sendBodyAndHeader("direct:one", null, SfnConstants.TASK_TOKEN, "token-6");
            context.createProducerTemplate().sendBodyAndHeader("direct:two", null, SfnConstants.TASK_TOKEN, "token-7");
            assertThat(liveThreads("aws-sfn-netty")).as("event loop threads while running").isNotEmpty();
            assertThat(liveThreads("aws-java-sdk-NettyEventLoop")).as("event loops of the clients' own").isEmpty();

            context.stop();
        }
        SFN.verify(2, postRequestedFor(urlEqualTo("/")));
        assertThat(liveThreads("aws-sfn-netty")).as("event loop threads after stop").isEmpty();
    }

    private static java.util.List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }

    @Test
    void startsWithoutAnyCredentialOptionLeavingThemToTheSdkDefaultChain() throws Exception {
        stubAccepted();
        System.setProperty("aws.accessKeyId", "AKIAFROMCHAIN");
        System.setProperty("aws.secretAccessKey", "secretFromChain");
        try (CamelContext context = new DefaultCamelContext()) {
            route(context, "aws-sfn-fail:chain?region=eu-west-1&overrideEndpoint=true&uriEndpointOverride=" + SFN.baseUrl());
            context.start();

            context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-4");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.containing("AKIAFROMCHAIN")));
    }

    @Test
    void endpointTellsCamelWhereItsReportsGo() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            SfnFailEndpoint regional = context.getEndpoint("aws-sfn-fail:a?region=eu-central-1", SfnFailEndpoint.class);
            SfnFailEndpoint overridden = context.getEndpoint("aws-sfn-fail:b?region=eu-central-1&overrideEndpoint=true"
                                                             + "&uriEndpointOverride=https://states-fips.us-east-1.amazonaws.com",
                    SfnFailEndpoint.class);

            assertThat(regional.getServiceUrl()).isEqualTo("eu-central-1");
            assertThat(overridden.getServiceUrl()).isEqualTo("https://states-fips.us-east-1.amazonaws.com");
            assertThat(regional.getServiceProtocol()).isEqualTo("sfn");
        }
    }

    private static void route(CamelContext context, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to(uri);
            }
        });
    }

    private static void stubAccepted() {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
    }

    private static SfnAsyncClient asyncClient() {
        return SfnAsyncClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA1", "secret1")))
                .endpointOverride(URI.create(SFN.baseUrl()))
                .build();
    }

    /** Counts calls and closes, delegating the rest. */
    static final class ClosingCountingAsyncClient implements SfnAsyncClient {
        final SfnAsyncClient delegate;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        ClosingCountingAsyncClient(SfnAsyncClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse> sendTaskFailure(
                software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest request) {
            calls.incrementAndGet();
            return delegate.sendTaskFailure(request);
        }

        @Override
        public software.amazon.awssdk.services.sfn.SfnServiceClientConfiguration serviceClientConfiguration() {
            return delegate.serviceClientConfiguration();
        }

        @Override
        public String serviceName() {
            return delegate.serviceName();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            delegate.close();
        }
    }
}
