package io.github.sfnfail.it.client;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/**
 * A Step Functions client of the application's own, a Spring bean and so in Camel's registry: alone of its type, every
 * aws-sfn-* endpoint takes it. (Outside the application's package so that only SpringBootOwnClientTest imports it.)
 */
@Configuration
public class SfnClientConfiguration {

    @Bean(destroyMethod = "close")
    public SfnAsyncClient sfnClient(@Value("${sfn.endpoint}") String endpoint) {
        return SfnAsyncClient.builder()
                .region(Region.EU_WEST_1)
                // the stand-in the tests start; against AWS, leave endpointOverride out
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
