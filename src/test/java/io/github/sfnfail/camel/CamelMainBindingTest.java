package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.fail.SfnFailComponentConfigurer;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;
import io.github.sfnfail.camel.fail.SfnFailEndpointConfigurer;
import io.github.sfnfail.camel.fail.SfnFailEndpointUriFactory;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component as camel-main finds it: discovered from the jar's service files, configured from properties, using the
 * generated configurers rather than reflection.
 */
class CamelMainBindingTest {

    @RegisterExtension
    static final WireMockExtension SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private Main main;

    @BeforeEach
    void startMain() throws Exception {
        main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:main-binding.properties");
        main.addOverrideProperty("camel.component.aws-sfn-fail.uri-endpoint-override", SFN.baseUrl());
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").to("aws-sfn-fail:main");
            }
        });
        main.start();
    }

    @AfterEach
    void stopMain() {
        main.stop();
    }

    @Test
    void componentOptionsFromApplicationPropertiesAreBound() {
        SFN.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("{}")));

        main.getCamelContext().createProducerTemplate()
                .sendBodyAndHeader("direct:fail", null, SfnConstants.TASK_TOKEN, "token-from-main");

        SFN.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Authorization", containing("Credential=AKIAFROMPROPERTIES/"))
                .withHeader("Authorization", containing("/ap-southeast-2/states/aws4_request"))
                .withRequestBody(equalToJson("{\"taskToken\":\"token-from-main\",\"error\":\"FromApplicationProperties\"}")));
        SfnFailConfiguration configuration = main.getCamelContext()
                .getComponent("aws-sfn-fail", SfnFailComponent.class).getConfiguration();
        assertThat(configuration.getMaxAttempts()).isEqualTo(2);
    }

    @Test
    void generatedConfigurersAndUriFactoryAreUsedNotReflection() {
        CamelContext context = main.getCamelContext();
        SfnFailComponent component = context.getComponent("aws-sfn-fail", SfnFailComponent.class);

        PropertyConfigurer componentConfigurer = component.getComponentPropertyConfigurer();
        PropertyConfigurer endpointConfigurer = component.getEndpointPropertyConfigurer();
        EndpointUriFactory uriFactory = context.getCamelContextExtension().getEndpointUriFactory("aws-sfn-fail");

        // the component checks names and durations before the generated configurer sets them
        assertThat(componentConfigurer).extracting("generated").isInstanceOf(SfnFailComponentConfigurer.class);
        assertThat(endpointConfigurer).isInstanceOf(SfnFailEndpointConfigurer.class);
        assertThat(uriFactory).isInstanceOf(SfnFailEndpointUriFactory.class);
        assertThat(PluginHelper.getConfigurerResolver(context).resolvePropertyConfigurer("aws-sfn-fail-endpoint", context))
                .isInstanceOf(SfnFailEndpointConfigurer.class);
        assertThat(uriFactory.secretPropertyNames()).contains("taskToken", "secretKey", "sessionToken", "accessKey");
    }
}
