package io.github.sfnfail.it.boot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

@Component
public class TaskCallbackRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:heartbeat").routeId("heartbeat")
                .to("aws-sfn-heartbeat:orders");
        from("direct:reportSuccess").routeId("report-success")
                .to("aws-sfn-success:orders");
        from("direct:reportFailure").routeId("report-failure")
                .to("aws-sfn-fail:orders");
        from("aws-sfn-activity:arn:aws:states:eu-west-1:123456789012:activity:orders").routeId("activity-worker")
                .setBody(constant("{\"worked\":true}"));
    }
}
