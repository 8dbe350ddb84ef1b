package io.github.sfnfail.camel;

import java.lang.reflect.Field;
import java.net.URI;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.github.sfnfail.camel.activity.SfnActivityEndpoint;
import io.github.sfnfail.camel.heartbeat.SfnHeartbeatEndpoint;
import io.github.sfnfail.camel.success.SfnSuccessEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.UriParam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One configuration for every scheme: camel.component.aws-sfn.* is taken by each scheme's endpoints, a scheme's own
 * component lines win over it (even when they set an option to its default), and an endpoint's URI wins over both.
 */
class SharedOptionsTest {

    @RegisterExtension
    static final WireMockExtension SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private Main main;

    @AfterEach
    void stopMain() {
        if (main != null) {
            main.stop();
        }
    }

    private void startMain(Properties properties) {
        startMain(properties, null, null);
    }

    /** With a bean in the registry before the start, for an option that names it. */
    private void startMain(Properties properties, String beanName, Object bean) {
        main = new Main();
        if (beanName != null) {
            main.bind(beanName, bean);
        }
        main.setOverrideProperties(properties);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:success").to("aws-sfn-success:orders");
                from("direct:fail").to("aws-sfn-fail:orders");
                from("direct:heartbeat").to("aws-sfn-heartbeat:orders?region=eu-west-3");
            }
        });
        main.start();
    }

    private static Properties sharedAndPerScheme() {
        Properties properties = new Properties();
        properties.put("camel.component.aws-sfn.region", "ap-southeast-2");
        properties.put("camel.component.aws-sfn.access-key", "AKIASHAREDBYALL");
        properties.put("camel.component.aws-sfn.secret-key", "sharedSecret");
        properties.put("camel.component.aws-sfn.override-endpoint", "true");
        properties.put("camel.component.aws-sfn.uri-endpoint-override", SFN.baseUrl());
        properties.put("camel.component.aws-sfn.api-call-timeout", "30s");
        properties.put("camel.component.aws-sfn.ignore-closed-task", "true");
        properties.put("camel.component.aws-sfn-fail.access-key", "AKIAFAILUREONLY");
        properties.put("camel.component.aws-sfn-fail.secret-key", "failureSecret");
        properties.put("camel.component.aws-sfn-fail.error", "OrderRejected");
        // a scheme line that sets the default still wins
        properties.put("camel.component.aws-sfn-success.ignore-closed-task", "false");
        return properties;
    }

    @Test
    void everySchemeTakesTheSharedOptionsAndItsOwnLinesWin() {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));
        startMain(sharedAndPerScheme());
        CamelContext context = main.getCamelContext();

        context.createProducerTemplate().sendBodyAndHeader("direct:success", "{}", SfnConstants.TASK_TOKEN, "t1");
        context.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "t2");
        context.createProducerTemplate().sendBodyAndHeader("direct:heartbeat", null, SfnConstants.TASK_TOKEN, "t3");

        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", containing("SendTaskSuccess"))
                .withHeader("Authorization", containing("Credential=AKIASHAREDBYALL/"))
                .withHeader("Authorization", containing("/ap-southeast-2/states/aws4_request")));
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", containing("SendTaskFailure"))
                .withHeader("Authorization", containing("Credential=AKIAFAILUREONLY/"))
                .withHeader("Authorization", containing("/ap-southeast-2/states/aws4_request"))
                .withRequestBody(containing("\"error\":\"OrderRejected\"")));
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", containing("SendTaskHeartbeat"))
                .withHeader("Authorization", containing("Credential=AKIASHAREDBYALL/"))
                .withHeader("Authorization", containing("/eu-west-3/states/aws4_request")));

        SfnTaskConfiguration success = context.getEndpoint("aws-sfn-success:orders", SfnSuccessEndpoint.class)
                .getConfiguration();
        SfnTaskConfiguration heartbeat = context.getEndpoint("aws-sfn-heartbeat:orders?region=eu-west-3",
                SfnHeartbeatEndpoint.class).getConfiguration();
        assertThat(success.getApiCallTimeout()).isEqualTo(30_000);
        assertThat(success.isIgnoreClosedTask()).as("the scheme's own line, set to the default").isFalse();
        assertThat(heartbeat.isIgnoreClosedTask()).as("shared").isTrue();
        assertThat(heartbeat.getRegion()).as("the URI's").isEqualTo("eu-west-3");
    }

    @Test
    void aClientOfTheApplicationsIsSharedByReference() throws Exception {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));
        try (SfnAsyncClient first = client("AKIAFIRSTCLIENT"); SfnAsyncClient second = client("AKIASECONDCLIENT")) {
            main = new Main();
            // two clients in the registry: none is autowired, the shared line picks one for every scheme
            main.bind("firstClient", first);
            main.bind("secondClient", second);
            main.addOverrideProperty("camel.component.aws-sfn.aws-sfn-async-client", "#secondClient");
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:success").to("aws-sfn-success:orders");
                }
            });
            main.start();

            main.getCamelContext().createProducerTemplate().sendBodyAndHeader("direct:success", "{}",
                    SfnConstants.TASK_TOKEN, "t1");
        }

        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=AKIASECONDCLIENT/")));
    }

    private static SfnAsyncClient client(String accessKey) {
        return SfnAsyncClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(SFN.baseUrl()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .build();
    }

    @Test
    void theActivityConsumerTakesThemToo() {
        startMain(sharedAndPerScheme());
        SfnActivityEndpoint activity = main.getCamelContext().getEndpoint(
                "aws-sfn-activity:arn:aws:states:ap-southeast-2:123456789012:activity:orders", SfnActivityEndpoint.class);

        assertThat(activity.getConfiguration().getRegion()).isEqualTo("ap-southeast-2");
        assertThat(activity.getConfiguration().getAccessKey()).isEqualTo("AKIASHAREDBYALL");
        assertThat(activity.getConfiguration().getUriEndpointOverride()).isEqualTo(SFN.baseUrl());
    }

    @Test
    void theJournalDirectoryIsSharedWithTheActivityConsumerAndItsOwnLineWins() throws Exception {
        Properties properties = sharedAndPerScheme();
        properties.put("camel.component.aws-sfn.journal-directory", "/var/lib/worker/journal");
        startMain(properties);
        String arn = "arn:aws:states:ap-southeast-2:123456789012:activity:orders";

        assertThat(main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn, SfnActivityEndpoint.class)
                .getConfiguration().getJournalDirectory()).isEqualTo("/var/lib/worker/journal");
        main.stop();

        properties.put("camel.component.aws-sfn-activity.journal-directory", "/data/journal");
        startMain(properties);
        assertThat(main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn, SfnActivityEndpoint.class)
                .getConfiguration().getJournalDirectory()).as("the activity component's own line").isEqualTo(
                        "/data/journal");
        assertThat(main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn + "?journalDirectory=/uri",
                SfnActivityEndpoint.class).getConfiguration().getJournalDirectory()).as("the URI").isEqualTo("/uri");
        // the producers have no journal and start as before
        assertThat(main.getCamelContext().getEndpoint("aws-sfn-fail:orders", SfnTaskEndpoint.class)
                .getConfiguration().getRegion()).isEqualTo("ap-southeast-2");
    }

    @Test
    void aTaskJournalOfTheEndpointOrItsComponentWinsOverTheSharedJournalDirectory() throws Exception {
        Properties properties = sharedAndPerScheme();
        properties.put("camel.component.aws-sfn.journal-directory", "/var/lib/worker/journal");
        startMain(properties, "fleetJournal",
                new io.github.sfnfail.camel.journal.FileTaskJournal(java.nio.file.Path.of("/var/lib/fleet")));
        String arn = "arn:aws:states:ap-southeast-2:123456789012:activity:orders";

        SfnActivityEndpoint withBean = main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn
                                                                          + "?taskJournal=#fleetJournal",
                SfnActivityEndpoint.class);
        assertThat(withBean.getConfiguration().getTaskJournal()).isNotNull();
        assertThat(withBean.getConfiguration().getJournalDirectory()).as("the shared directory let go").isNull();
        // both on the same endpoint stay a mistake
        assertThatThrownBy(() -> main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn
                                                                    + "?taskJournal=#fleetJournal&journalDirectory=/uri"))
                .hasStackTraceContaining("not both");
        main.stop();

        properties.put("camel.component.aws-sfn-activity.task-journal", "#fleetJournal");
        startMain(properties, "fleetJournal",
                new io.github.sfnfail.camel.journal.FileTaskJournal(java.nio.file.Path.of("/var/lib/fleet")));
        SfnActivityEndpoint componentBean = main.getCamelContext().getEndpoint("aws-sfn-activity:" + arn,
                SfnActivityEndpoint.class);
        assertThat(componentBean.getConfiguration().getJournalDirectory()).as("the component's bean wins").isNull();
    }

    /** What camel-main prints: Camel's binding error, caused by the component's message naming the closest option. */
    @ParameterizedTest
    @ValueSource(strings = { "aws-sfn", "aws-sfn-fail" })
    void aMisspelledOptionFailsTheStartNamingItAndTheClosestOption(String component) {
        Properties properties = new Properties();
        properties.put("camel.component." + component + ".regoin", "eu-west-1");

        assertThatThrownBy(() -> startMain(properties))
                .isInstanceOf(PropertyBindingException.class)
                .hasMessageStartingWith("Error binding property (camel.component." + component + ".regoin=eu-west-1)")
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown option camel.component." + component + ".regoin: did you mean "
                                        + "camel.component." + component + ".region? The options are ")
                .hasMessageContaining("apiCallTimeout");
    }

    @Test
    void aBadValueFailsWhenItIsSetNamingTheOption() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            SfnSharedOptionsComponent shared = context.getComponent("aws-sfn", SfnSharedOptionsComponent.class);

            assertThatThrownBy(() -> shared.setOption("api-call-timeout", "soon"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("camel.component.aws-sfn.apiCallTimeout must be a duration such as 30s or 5m, or "
                                + "milliseconds (1000 or more), not 'soon'");
            assertThatThrownBy(() -> shared.setOption("taskToken", "t"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown option camel.component.aws-sfn.taskToken");
            assertThat(shared.getOption("apiCallTimeout")).isNull();
        }
    }

    @Test
    void sharedOptionsSetFromJavaAndTheSchemeHasNoEndpointsOfItsOwn() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getComponent("aws-sfn", SfnSharedOptionsComponent.class).setOption("region", "eu-north-1");
            context.start();

            assertThat(context.getEndpoint("aws-sfn-fail:x", SfnTaskEndpoint.class).getConfiguration().getRegion())
                    .isEqualTo("eu-north-1");
            assertThatThrownBy(() -> context.getEndpoint("aws-sfn:x"))
                    .hasStackTraceContaining("aws-sfn has no endpoints")
                    .hasStackTraceContaining("aws-sfn-fail:");
        }
    }

    @Test
    void theSharedOptionsAreEveryOptionOfTheSchemesButTheTaskToken() throws Exception {
        Set<String> options = new TreeSet<>();
        for (Field field : SfnTaskConfiguration.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(UriParam.class)) {
                options.add(field.getName());
            }
        }
        options.remove("taskToken");

        assertThat(SfnTaskConfiguration.SHARED_OPTIONS).containsExactlyInAnyOrderElementsOf(options);
        assertThat(SfnSharedOptionsComponent.OPTIONS).containsAll(options).contains("journalDirectory");
    }
}
