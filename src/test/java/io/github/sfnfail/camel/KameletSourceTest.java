package io.github.sfnfail.camel;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aws-sfn-activity-source Kamelet shipped in the jar, used the way a pipe uses it: each task flows on to the
 * pipe's sink, and is answered with what the pipe made of the body.
 */
class KameletSourceTest extends CamelTestSupport {

    private static final String ARN = "arn:aws:states:ap-northeast-1:123456789012:activity:from-kamelet";

    private final ActivityStandIn sfn = ActivityStandIn.started();

    @AfterEach
    void stopStandIn() {
        sfn.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:aws-sfn-activity-source?activityArn=" + ARN + "&region=ap-northeast-1"
                     + "&accessKey=AKIAKAMELET&secretKey=RAW(kamelet/secret)&concurrentPollers=2"
                     + "&overrideEndpoint=true&uriEndpointOverride=" + sfn.url())
                        .setBody(simple("{\"via\":\"kamelet\",\"input\":${body}}"));
            }
        };
    }

    @Test
    void eachTaskFlowsToThePipeAndIsAnsweredWithWhatItMadeOfTheBody() {
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 2);

        sfn.offer("AQCEAAAAKgAAAAMAAAAA-kamelet-task", "{\"n\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> !sfn.answers("SendTaskSuccess").isEmpty());
        assertThat(sfn.answers("SendTaskSuccess").get(0).body())
                .contains("AQCEAAAAKgAAAAMAAAAA-kamelet-task")
                .contains("\\\"via\\\":\\\"kamelet\\\",\\\"input\\\":{\\\"n\\\":1}");
    }
}
