package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * A .waitForTaskToken message from SQS, {"taskToken": ..., "order": ...}: unmarshalled with Jackson, the token read
 * with ${body[taskToken]}. aws2-sqs delivers the message text as a String, as direct: does here.
 */
class SqsJacksonRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheJsonBody() throws Exception {
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sqs")
                        .unmarshal().json()
                        .setHeader(TASK_TOKEN, simple("${body[taskToken]}"))
                        .setBody(simple("${body[order]}"))
                        .to("aws-sfn-success:orders");
            }
        });

        context.createProducerTemplate().sendBody("direct:sqs", SqsMessage.waitingFor(SfnStub.TOKEN));

        stub.awaitSuccessFor(SfnStub.TOKEN, SfnStub.OUTPUT, 10_000);
    }
}
