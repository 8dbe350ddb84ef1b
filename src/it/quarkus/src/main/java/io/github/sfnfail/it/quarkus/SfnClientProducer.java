package io.github.sfnfail.it.quarkus;

import java.net.URI;
import java.time.Duration;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/**
 * A Step Functions client of the application's own, a CDI bean and so in Camel's registry: alone of its type, every
 * aws-sfn-* endpoint takes it. @Unremovable: nothing injects it, and Quarkus would drop it otherwise.
 */
@ApplicationScoped
public class SfnClientProducer {

    @Produces
    @Singleton
    @Unremovable
    // only in QuarkusOwnClientTest, so that the project's other test keeps the client the component builds; your
    // application needs no such condition
    @IfBuildProperty(name = "sfn.own-client", stringValue = "true")
    SfnAsyncClient sfnClient(@ConfigProperty(name = "sfn.endpoint") String endpoint) {
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
