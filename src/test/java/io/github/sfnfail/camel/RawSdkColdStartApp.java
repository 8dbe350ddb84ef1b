package io.github.sfnfail.camel;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;

/**
 * What {@link ColdStartApp} does with the SDK alone: a plain Java main that builds the same client (asynchronous, Netty,
 * static keys, region, endpoint override) and sends one failure report. Started in a fresh JVM by the benchmark, beside
 * the camel-main application, to tell the SDK's own start from the rest. {@code RawSdkColdStartApp <endpoint>}.
 */
public final class RawSdkColdStartApp {

    private RawSdkColdStartApp() {
    }

    public static void main(String[] args) {
        try (SfnAsyncClient client = SfnAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        "AKIACOLDSTART0000000", "cold-start-secret-key-000000000000000000")))
                .endpointOverride(URI.create(args[0])).build()) {
            client.sendTaskFailure(SendTaskFailureRequest.builder().taskToken("AQCEAAAAKgAAAAMAAAAA-cold-start-token")
                    .error("ColdStart").build()).join();
        }
    }
}
