package io.github.sfnfail.camel;

import java.net.URI;
import java.time.Duration;

import ch.qos.logback.classic.Level;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long poll has one attempt: one that fails comes back to its poller, which polls again as a new call after its
 * backoff, whatever client it goes through. The SDK retrying a poll within one call sometimes lost the task the service
 * handed to the retry (the soak's unexplained timeouts all went to a poll's second attempt). A blip of the service
 * says nothing; failures that go on are warned about as before.
 */
class ActivityPollAttemptsTest extends ActivityStandInTestSupport {

    private RouteBuilder worker(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?concurrentPollers=1" + options).routeId("worker")
                        .setBody(constant("{\"done\":true}"));
            }
        };
    }

    @Test
    void pollsOfTheClientTheComponentBuildsHaveOneAttemptAndABlipSaysNothing() throws Exception {
        assertOnePollAttemptThroughABlip("");
    }

    @Test
    void pollsOfARegistryClientAtSdkDefaultsHaveOneAttemptToo() throws Exception {
        try (SfnAsyncClient defaults = SfnAsyncClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(sfn.url())).credentialsProvider(credentials()).build()) {
            context.getRegistry().bind("defaultClient", defaults);
            assertOnePollAttemptThroughABlip("&awsSfnAsyncClient=#defaultClient");
            stopBeforeTheClientCloses();
        }
    }

    @Test
    void pollsOfARegistrySynchronousClientHaveOneAttemptToo() throws Exception {
        try (SfnClient sync = SfnClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(sfn.url()))
                .credentialsProvider(credentials()).build()) {
            context.getRegistry().bind("syncClient", sync);
            assertOnePollAttemptThroughABlip("&awsSfnClient=#syncClient");
            stopBeforeTheClientCloses();
        }
    }

    @Test
    void pollsThatGoOnFailingAreWarnedAboutOnceTheBlipsAreUsedUp() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            sfn.failPolls(500, "InternalFailure");
            start(worker(""));

            await().atMost(Duration.ofSeconds(20)).until(() -> warnings(logs) > 0);
            // the first three in a row are quiet, the fourth is told
            assertThat(sfn.pollAttempts()).hasSizeGreaterThanOrEqualTo(4).allMatch(header -> header.startsWith("attempt=1;"));
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(event -> event.getFormattedMessage())
                    .anyMatch(line -> line.contains("fail with InternalFailure"));

            sfn.failPolls(0, null);
            sfn.offer(TOKEN, "{}");
            assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
        }
    }

    @Test
    void aThrottledPollIsToldAtOnceForTheFleetsSake() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            sfn.failNextPolls(1, 400, "ThrottlingException");
            start(worker(""));

            await().atMost(Duration.ofSeconds(10)).until(() -> warnings(logs) > 0);
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(event -> event.getFormattedMessage())
                    .anyMatch(line -> line.contains("fail with ThrottlingException"));
            assertThat(sfn.pollAttempts()).allMatch(header -> header.startsWith("attempt=1;"));
        }
    }

    private void assertOnePollAttemptThroughABlip(String options) throws Exception {
        try (LogCapture logs = new LogCapture()) {
            sfn.failNextPolls(3, 500, "InternalFailure");
            start(worker(options));

            await().atMost(Duration.ofSeconds(15)).until(() -> sfn.openPolls() == 1);
            sfn.offer(TOKEN, "{}");

            assertThat(awaitAnswer("SendTaskSuccess").token()).isEqualTo(TOKEN);
            assertThat(sfn.pollAttempts()).as("each poll's SDK attempt header").hasSizeGreaterThanOrEqualTo(4)
                    .allMatch(header -> header.startsWith("attempt=1;"));
            assertThat(warnings(logs)).as("WARN lines of the polls").isZero();
        }
    }

    /** As an application does: Camel first (its open polls answered at once, as an emulator does), then its client. */
    private void stopBeforeTheClientCloses() {
        sfn.answerPollsAtOnce();
        context.stop();
    }

    private static long warnings(LogCapture logs) {
        return logs.events().stream().filter(event -> event.getLevel() == Level.WARN)
                .filter(event -> event.getLoggerName().endsWith("PollHealth")).count();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
