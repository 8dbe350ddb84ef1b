package io.github.sfnfail.it.boot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

@Component
public class ReportFailureRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:reportFailure").routeId("report-failure")
                .to("aws-sfn-fail:orders");
    }
}
