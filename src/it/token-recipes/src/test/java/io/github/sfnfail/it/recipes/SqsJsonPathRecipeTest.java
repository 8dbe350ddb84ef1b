package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/** A .waitForTaskToken message from SQS, the token read from the JSON text with JsonPath: no unmarshal, no camel-bean. */
class SqsJsonPathRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheJsonText() throws Exception {
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sqs")
                        .setHeader(TASK_TOKEN, jsonpath("$.taskToken"))
                        .setBody(jsonpath("$.order"))
                        .to("aws-sfn-success:orders");
            }
        });

        context.createProducerTemplate().sendBody("direct:sqs", SqsMessage.waitingFor(SfnStub.TOKEN));

        stub.awaitSuccessFor(SfnStub.TOKEN, SfnStub.OUTPUT, 10_000);
    }
}
