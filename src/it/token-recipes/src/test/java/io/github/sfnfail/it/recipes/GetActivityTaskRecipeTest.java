package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * A worker that polls with Camel's aws2-step-functions (operation getActivityTask, body GetActivityTaskResponse) and
 * answers itself: the token read with ${body.taskToken}.
 */
class GetActivityTaskRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheResponse() throws Exception {
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:poll")
                        .setHeader("CamelAwsStepFunctionsActivityArn", constant(SfnStub.ACTIVITY_ARN))
                        .to("aws2-step-functions:poll?operation=getActivityTask")
                        .setHeader(TASK_TOKEN, simple("${body.taskToken}"))
                        .setBody(constant(SfnStub.ACTIVITY_OUTPUT))
                        .to("aws-sfn-success:worker");
            }
        }, "camel.component.aws2-step-functions.region", "eu-west-1",
                "camel.component.aws2-step-functions.access-key", SfnStub.SHARED_ACCESS_KEY,
                "camel.component.aws2-step-functions.secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "camel.component.aws2-step-functions.override-endpoint", "true",
                "camel.component.aws2-step-functions.uri-endpoint-override", stub.url());

        context.createProducerTemplate().sendBody("direct:poll", null);

        stub.awaitActivityTaskAnswered(10_000);
    }
}
