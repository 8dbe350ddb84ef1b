package io.github.sfnfail.it.recipes;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * Why the token table lists camel-bean beside camel-jackson: without it a route with ${body[taskToken]} does not
 * start ("No language could be found for: bean").
 */
class WithoutCamelBeanTest extends RecipeTestSupport {

    @Test
    void bodyIndexWithoutCamelBeanFailsTheStartSayingWhatIsMissing() {
        Exception failure = assertThrows(Exception.class, () -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sqs")
                        .unmarshal().json()
                        .setHeader(TASK_TOKEN, simple("${body[taskToken]}"))
                        .to("aws-sfn-success:orders");
            }
        }));

        String messages = "";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages += cause.getMessage() + "\n";
        }
        assertTrue(messages.contains("No language could be found for: bean"), messages);
        assertTrue(stub.requests().isEmpty(), "nothing on the wire, saw " + stub.requests());
    }
}
