package io.github.sfnfail.camel;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The smallest camel-main application that reports a failure: started in a fresh JVM by the benchmark, which times it
 * from the start of the JVM to the report on the wire. {@code ColdStartApp <endpoint>}.
 */
public final class ColdStartApp {

    private ColdStartApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.component.aws-sfn-fail.region", "us-east-1");
        main.addInitialProperty("camel.component.aws-sfn-fail.access-key", "AKIACOLDSTART0000000");
        main.addInitialProperty("camel.component.aws-sfn-fail.secret-key", "cold-start-secret-key-000000000000000000");
        main.addInitialProperty("camel.component.aws-sfn-fail.override-endpoint", "true");
        main.addInitialProperty("camel.component.aws-sfn-fail.uri-endpoint-override", args[0]);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:cold?repeatCount=1&delay=1")
                        .setHeader(SfnConstants.TASK_TOKEN, constant("AQCEAAAAKgAAAAMAAAAA-cold-start-token"))
                        .setHeader(SfnConstants.ERROR, constant("ColdStart"))
                        .to("aws-sfn-fail:cold");
            }
        });
        main.run();
    }
}
