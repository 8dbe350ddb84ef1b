package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/** aws-sfn-activity: the consumer sets the token itself and answers with the body; nothing else is needed. */
class ActivityConsumerRecipeTest extends RecipeTestSupport {

    @Test
    void theConsumerTakesTheTaskAndAnswersIt() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + SfnStub.ACTIVITY_ARN)
                        .setBody(constant(SfnStub.ACTIVITY_OUTPUT));
            }
        });

        stub.awaitActivityTaskAnswered(30_000);
    }
}
