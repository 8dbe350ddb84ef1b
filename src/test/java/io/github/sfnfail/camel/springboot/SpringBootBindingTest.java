package io.github.sfnfail.camel.springboot;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.heartbeat.SfnHeartbeatComponent;
import io.github.sfnfail.camel.SfnConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * In a Spring Boot application with camel-spring-boot, camel.component.aws-sfn-fail.*, aws-sfn-success.* and
 * aws-sfn-heartbeat.* properties configure their components (camel-spring-boot alone would ignore them).
 */
class SpringBootBindingTest {

    @RegisterExtension
    static final WireMockExtension SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void componentOptionsFromSpringPropertiesAreBound() throws Exception {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));

        try (ConfigurableApplicationContext app = start(
                "camel.component.aws-sfn-fail.region=sa-east-1",
                "camel.component.aws-sfn-fail.access-key=AKIAFROMSPRING",
                "camel.component.aws-sfn-fail.secret-key=secretFromSpring",
                "camel.component.aws-sfn-fail.override-endpoint=true",
                "camel.component.aws-sfn-fail.uri-endpoint-override=" + SFN.baseUrl(),
                "camel.component.aws-sfn-fail.error=FromSpringBoot",
                "camel.component.aws-sfn-fail.retry-mode=STANDARD")) {
            CamelContext camel = app.getBean(CamelContext.class);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fail").to("aws-sfn-fail:spring");
                }
            });

            camel.createProducerTemplate().sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "spring-token");

            assertThat(camel.getComponent("aws-sfn-fail", SfnFailComponent.class).getConfiguration().getRetryMode())
                    .hasToString("STANDARD");
        }
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=AKIAFROMSPRING/"))
                .withHeader("Authorization", containing("/sa-east-1/states/"))
                .withRequestBody(equalToJson("{\"taskToken\":\"spring-token\",\"error\":\"FromSpringBoot\"}")));
    }

    @Test
    void theSiblingSchemesBindTheirOwnPrefixes() throws Exception {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));

        try (ConfigurableApplicationContext app = start(
                "camel.component.aws-sfn-success.region=sa-east-1",
                "camel.component.aws-sfn-success.access-key=AKIASUCCESS",
                "camel.component.aws-sfn-success.secret-key=secretFromSpring",
                "camel.component.aws-sfn-success.override-endpoint=true",
                "camel.component.aws-sfn-success.uri-endpoint-override=" + SFN.baseUrl(),
                "camel.component.aws-sfn-heartbeat.region=ap-south-1",
                "camel.component.aws-sfn-heartbeat.access-key=AKIAHEARTBEAT",
                "camel.component.aws-sfn-heartbeat.secret-key=secretFromSpring",
                "camel.component.aws-sfn-heartbeat.override-endpoint=true",
                "camel.component.aws-sfn-heartbeat.uri-endpoint-override=" + SFN.baseUrl(),
                "camel.component.aws-sfn-heartbeat.period=45s")) {
            CamelContext camel = app.getBean(CamelContext.class);
            succeedAndBeat(camel);

            assertThat(camel.getComponent("aws-sfn-heartbeat", SfnHeartbeatComponent.class).getConfiguration().getPeriod())
                    .isEqualTo(45_000);
        }
        verifySuccessAndHeartbeat("AKIASUCCESS", "sa-east-1", "AKIAHEARTBEAT", "ap-south-1");
    }

    @Test
    void theSharedOptionsBindOnceForEverySchemeAndASchemesOwnLineWins() throws Exception {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));

        try (ConfigurableApplicationContext app = start(
                "camel.component.aws-sfn.region=sa-east-1",
                "camel.component.aws-sfn.access-key=AKIASHARED",
                "camel.component.aws-sfn.secret-key=secretFromSpring",
                "camel.component.aws-sfn.override-endpoint=true",
                "camel.component.aws-sfn.uri-endpoint-override=" + SFN.baseUrl(),
                "camel.component.aws-sfn-heartbeat.region=ap-south-1")) {
            CamelContext camel = app.getBean(CamelContext.class);
            succeedAndBeat(camel);
        }
        verifySuccessAndHeartbeat("AKIASHARED", "sa-east-1", "AKIASHARED", "ap-south-1");
    }

    /** A scheme's own prefix, and the prefix of the options every scheme shares. */
    @ParameterizedTest
    @ValueSource(strings = { "aws-sfn-fail", "aws-sfn" })
    void misspelledOptionFailsTheStartOfItsRoutesSayingUnknownOptionAndTheClosestOne(String component) {
        try (ConfigurableApplicationContext app = start("camel.component." + component + ".regoin=eu-west-1")) {
            CamelContext camel = app.getBean(CamelContext.class);

            assertThatThrownBy(() -> camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fail").to("aws-sfn-fail:spring");
                }
            })).hasStackTraceContaining("Unknown option camel.component." + component + ".regoin: did you mean "
                                        + "camel.component." + component + ".region?");
        }
    }

    /** A success report and a heartbeat for the same token, through endpoints with no options of their own. */
    private static void succeedAndBeat(CamelContext camel) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:succeed").to("aws-sfn-success:spring");
                from("direct:beat").to("aws-sfn-heartbeat:spring");
            }
        });
        camel.createProducerTemplate().sendBodyAndHeader("direct:succeed", "{}", SfnConstants.TASK_TOKEN, "spring-token");
        camel.createProducerTemplate().sendBodyAndHeader("direct:beat", "work", SfnConstants.TASK_TOKEN, "spring-token");
    }

    /** The success report and the heartbeat reached the wire signed with these keys, for these regions. */
    private static void verifySuccessAndHeartbeat(String successKey, String successRegion, String heartbeatKey,
                                                  String heartbeatRegion) {
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=" + successKey + "/"))
                .withHeader("Authorization", containing("/" + successRegion + "/states/"))
                .withRequestBody(equalToJson("{\"taskToken\":\"spring-token\",\"output\":\"{}\"}")));
        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=" + heartbeatKey + "/"))
                .withHeader("Authorization", containing("/" + heartbeatRegion + "/states/"))
                .withRequestBody(equalToJson("{\"taskToken\":\"spring-token\"}")));
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {
    }
}
