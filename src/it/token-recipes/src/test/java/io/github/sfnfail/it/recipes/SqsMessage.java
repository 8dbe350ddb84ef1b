package io.github.sfnfail.it.recipes;

import io.github.sfnfail.it.SfnStub;

/** The message a state machine's sqs:sendMessage.waitForTaskToken sends, as its MessageBody makes it. */
final class SqsMessage {

    private SqsMessage() {
    }

    /** {"taskToken": token, "order": the stand-in's OUTPUT}, with / escaped as Step Functions' JSON may. */
    static String waitingFor(String token) {
        return "{\"taskToken\":\"" + token.replace("/", "\\/") + "\",\"order\":" + SfnStub.OUTPUT + "}";
    }
}
