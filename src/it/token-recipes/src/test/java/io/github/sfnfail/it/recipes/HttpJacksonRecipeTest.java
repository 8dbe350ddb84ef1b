package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/** HTTP (platform-http) with a JSON body {"taskToken": ..., "output": ...}: unmarshalled with Jackson. */
class HttpJacksonRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheJsonBody() throws Exception {
        startAndPost(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/tasks/success?httpMethodRestrict=POST")
                        .unmarshal().json()
                        .setHeader(TASK_TOKEN, simple("${body[taskToken]}"))
                        .setBody(simple("${body[output]}"))
                        .to("aws-sfn-success:http")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
            }
        }, "{\"taskToken\":\"" + SfnStub.TOKEN + "\",\"output\":" + SfnStub.OUTPUT + "}");

        stub.awaitSuccessFor(SfnStub.TOKEN, SfnStub.OUTPUT, 10_000);
    }
}
