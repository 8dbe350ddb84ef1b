package io.github.sfnfail.camel;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The baselines of the cold-start benchmark, without the component or the SDK: the report is posted with the JDK's own
 * HTTP client. {@code WithoutSdkColdStartApp <endpoint> camel}: the camel-main application and timer route of
 * {@link ColdStartApp}, posting from a processor (Camel's own start). {@code WithoutSdkColdStartApp <endpoint> jdk}: a
 * plain Java main posting at once (the JVM's own start).
 */
public final class WithoutSdkColdStartApp {

    private WithoutSdkColdStartApp() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        if ("jdk".equals(args[1])) {
            post(endpoint);
            return;
        }
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:cold?repeatCount=1&delay=1").process(exchange -> post(endpoint));
            }
        });
        main.run();
    }

    private static void post(String endpoint) throws IOException {
        HttpURLConnection post = (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
        post.setRequestMethod("POST");
        post.setDoOutput(true);
        post.getOutputStream().write("{\"taskToken\":\"AQCEAAAAKgAAAAMAAAAA-cold-start-token\"}"
                .getBytes(StandardCharsets.UTF_8));
        post.getResponseCode();
    }
}
