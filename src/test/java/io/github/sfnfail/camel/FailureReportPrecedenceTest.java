package io.github.sfnfail.camel;

import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.fail.SfnFailConfiguration;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;

/**
 * Each field comes from its header, else from the endpoint option, else from the component option.
 */
class FailureReportPrecedenceTest extends WireMockSfnTestSupport {

    private static final String COMPONENT_TOKEN = "component-token-0123456789";
    private static final String ENDPOINT_TOKEN = "endpoint-token-0123456789";
    private static final String HEADER_TOKEN = "header-token-0123456789";

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        SfnFailConfiguration component = context.getComponent("aws-sfn-fail", SfnFailComponent.class).getConfiguration();
        component.setTaskToken(COMPONENT_TOKEN);
        component.setError("ComponentError");
        component.setCause("component cause");
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:component").to("aws-sfn-fail:component");
                from("direct:endpoint")
                        .to("aws-sfn-fail:endpoint?taskToken=" + ENDPOINT_TOKEN + "&error=EndpointError&cause=endpoint cause");
            }
        };
    }

    @Test
    void componentOptionsApplyWhenNothingElseIsGiven() {
        stubAccepted();
        template.sendBody("direct:component", null);
        verifySent(COMPONENT_TOKEN, "ComponentError", "component cause");
    }

    @Test
    void endpointOptionsWinOverComponentOptions() {
        stubAccepted();
        template.sendBody("direct:endpoint", null);
        verifySent(ENDPOINT_TOKEN, "EndpointError", "endpoint cause");
    }

    @Test
    void headerTokenWinsOverUriOption() {
        stubAccepted();
        template.sendBodyAndHeader("direct:endpoint", null, SfnConstants.TASK_TOKEN, HEADER_TOKEN);
        verifySent(HEADER_TOKEN, "EndpointError", "endpoint cause");
    }

    @Test
    void headerErrorWinsOverUriOption() {
        stubAccepted();
        template.sendBodyAndHeader("direct:endpoint", null, SfnConstants.ERROR, "HeaderError");
        verifySent(ENDPOINT_TOKEN, "HeaderError", "endpoint cause");
    }

    @Test
    void headerCauseWinsOverUriOption() {
        stubAccepted();
        template.sendBodyAndHeader("direct:endpoint", null, SfnConstants.CAUSE, "header cause");
        verifySent(ENDPOINT_TOKEN, "EndpointError", "header cause");
    }

    @Test
    void headersWinOverComponentOptions() {
        stubAccepted();
        Map<String, Object> headers = new HashMap<>();
        headers.put(SfnConstants.TASK_TOKEN, HEADER_TOKEN);
        headers.put(SfnConstants.ERROR, "HeaderError");
        headers.put(SfnConstants.CAUSE, "header cause");
        template.sendBodyAndHeaders("direct:component", null, headers);
        verifySent(HEADER_TOKEN, "HeaderError", "header cause");
    }

    private static void verifySent(String token, String error, String cause) {
        SFN.verify(1, sendTaskFailureRequested().withRequestBody(equalToJson(
                "{\"taskToken\":\"" + token + "\",\"error\":\"" + error + "\",\"cause\":\"" + cause + "\"}")));
    }
}
