package io.github.sfnfail.it.main;

import java.net.URI;
import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/**
 * A Step Functions client of the application's own, bound in Camel's registry by camel-main
 * (camel.main.configuration-classes): alone of its type there, every aws-sfn-* endpoint takes it.
 */
public class SfnClientConfiguration implements CamelConfiguration {

    /** The stand-in for Step Functions that the tests start; against AWS, leave endpointOverride out. */
    @PropertyInject("sfn.endpoint")
    private String endpoint;

    @BindToRegistry
    public SfnAsyncClient sfnClient() {
        return SfnAsyncClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(endpoint))
                // the stand-in's keys; against AWS, leave the SDK's default credentials chain
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAOWNCLIENTEXAMPLE", "ownClientSecretKeyEXAMPLEKEY")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(110)                     // 100 long polls and 10 connections for answers
                        .readTimeout(Duration.ofSeconds(70)))    // AWS holds a poll up to 60 s
                .build();
    }
}
