package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * HTTP (platform-http), the token in a request header of the caller's (never in the URL, which access logs keep) and
 * the output as the body: ${header.taskToken}, nothing beyond platform-http. Camel drops incoming Camel* headers, so
 * the caller cannot send CamelAwsSfnTaskToken itself.
 */
class HttpHeaderRecipeTest extends RecipeTestSupport {

    @Test
    void theTokenComesOutOfTheRequestHeader() throws Exception {
        startAndPost(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/tasks/success?httpMethodRestrict=POST")
                        .setHeader(TASK_TOKEN, simple("${header.taskToken}"))
                        .to("aws-sfn-success:http")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
            }
        }, SfnStub.OUTPUT, "taskToken", SfnStub.TOKEN);

        stub.awaitSuccessFor(SfnStub.TOKEN, SfnStub.OUTPUT, 10_000);
    }
}
