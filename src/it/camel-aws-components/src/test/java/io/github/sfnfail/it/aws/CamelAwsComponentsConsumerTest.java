package io.github.sfnfail.it.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ListActivitiesResponse;

class CamelAwsComponentsConsumerTest {

    @Test
    void everyAwsSdkModuleResolvesAtOneVersionBesideCamelsAwsComponents() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }

    @Test
    void theComponentAndCamelsStepFunctionsComponentWorkSideBySide() throws Exception {
        try (SfnStub stub = new SfnStub(); CamelContext context = new DefaultCamelContext()) {
            String options = "region=eu-west-1&accessKey=AKIAIOSFODNN7EXAMPLE&secretKey=RAW(wJalrXUtnFEMI/K7MDENG)"
                             + "&overrideEndpoint=true&uriEndpointOverride=" + stub.url();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:heartbeat").to("aws-sfn-heartbeat:orders?" + options);
                    from("direct:reportSuccess").to("aws-sfn-success:orders?" + options);
                    from("direct:reportFailure").to("aws-sfn-fail:orders?error=OrderRejected&" + options);
                    from("direct:listActivities").to("aws2-step-functions:admin?operation=listActivities&" + options);
                }
            });
            context.start();
            try (ProducerTemplate template = context.createProducerTemplate()) {
                Exchange heartbeat = answer(template, "direct:heartbeat", SfnStub.WORK);
                Exchange success = answer(template, "direct:reportSuccess", SfnStub.OUTPUT);
                Exchange failure = answer(template, "direct:reportFailure", null);
                stub.assertAllThreeAnswers("OrderRejected", heartbeat.getMessage().getBody(),
                        success.getMessage().getBody(), failure.getMessage().getBody());

                Object activities = template.requestBody("direct:listActivities", (Object) null);
                assertEquals(ListActivitiesResponse.class, activities.getClass(),
                        "Camel's aws2-step-functions on the same SDK");
            }
        }
    }

    private static Exchange answer(ProducerTemplate template, String route, Object body) throws Exception {
        Exchange answer = template.request(route, exchange -> {
            exchange.getMessage().setHeader("CamelAwsSfnTaskToken", SfnStub.TOKEN);
            exchange.getMessage().setBody(body);
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer;
    }
}
