package io.github.sfnfail.camel;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A Camel context whose aws-sfn-fail, aws-sfn-success and aws-sfn-heartbeat components talk to WireMock on loopback,
 * standing in for Step Functions.
 */
abstract class WireMockSfnTestSupport extends CamelTestSupport {

    static final String REGION = "eu-west-1";
    static final String ACCESS_KEY = "AKIATESTACCESSKEY123";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET";
    static final String TARGET = "AWSStepFunctions.SendTaskFailure";
    static final String SUCCESS_TARGET = "AWSStepFunctions.SendTaskSuccess";
    static final String HEARTBEAT_TARGET = "AWSStepFunctions.SendTaskHeartbeat";
    /** Shaped like a real token: long, base64-like, with + and /. */
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfMz+bW9x/Qh3nY5Xr0a+Lk2pPq8TvS4c1Zd/ExampleTokenPartOne+Two/Three"
                                + "AAAAAAAAAAECsQ3s6sH+0z9yYFkqLq4GmbQ1Yd/kE7ZbUTnVwXbAAAAAA==";

    @RegisterExtension
    static final WireMockExtension SFN = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        LoopbackComponents.pointAt(context, SFN.baseUrl(), REGION, ACCESS_KEY, SECRET_KEY, "aws-sfn-fail",
                "aws-sfn-success", "aws-sfn-heartbeat");
        return context;
    }

    static MappingBuilder sendTaskFailure() {
        return call(TARGET);
    }

    static MappingBuilder sendTaskSuccess() {
        return call(SUCCESS_TARGET);
    }

    static MappingBuilder sendTaskHeartbeat() {
        return call(HEARTBEAT_TARGET);
    }

    static MappingBuilder call(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder sendTaskFailureRequested() {
        return requested(TARGET);
    }

    static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder requested(String target) {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder accepted(String requestId) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withHeader("x-amzn-RequestId", requestId)
                .withBody("{}");
    }

    static ResponseDefinitionBuilder awsError(int status, String type, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withHeader("x-amzn-RequestId", "err-" + type)
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    /** What Step Functions answers for a task already closed (timed out, or already completed or failed). */
    static ResponseDefinitionBuilder taskClosed() {
        return awsError(400, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    }

    static void stubAccepted() {
        SFN.stubFor(sendTaskFailure().willReturn(accepted("req-1")));
    }

    static int requestsReceived() {
        return SFN.findAll(sendTaskFailureRequested()).size();
    }
}
