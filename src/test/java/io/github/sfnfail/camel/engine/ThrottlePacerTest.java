package io.github.sfnfail.camel.engine;

import io.github.sfnfail.camel.engine.TaskCalls;
import io.github.sfnfail.camel.engine.ThrottlePacer;
import io.github.sfnfail.camel.observe.AnswerCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pacer never strands a report: what waits when its endpoint stops, what comes back throttled after that, and what
 * arrives after that all complete, with an error that says why.
 */
class ThrottlePacerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<CompletableFuture<SendTaskFailureResponse>> onTheWire = new ArrayList<>();
    private final ThrottlePacer pacer = new ThrottlePacer("SendTaskFailure in test", "failure report", scheduler,
            System::nanoTime);
    private final ThrottlePacer.Member endpoint = pacer.join("aws-sfn-fail://test", 60_000, new AnswerCounters());
    private final TaskCalls wire = new TaskCalls() {
        @Override
        @SuppressWarnings("unchecked")
        public synchronized <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(
                TaskCall<R, S> call, R request, AttemptOutcomes attempts) {
            CompletableFuture<SendTaskFailureResponse> answer = new CompletableFuture<>();
            onTheWire.add(answer);
            return (CompletableFuture<S>) answer;
        }

        @Override
        public boolean watchesAttempts() {
            return true;
        }

        @Override
        public void close() {
        }
    };
    private final TaskCalls client = new TaskCalls() {
        @Override
        public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request,
                                                                                       AttemptOutcomes attempts) {
            return endpoint.pace(() -> wire.send(call, request, attempts));
        }

        @Override
        public boolean watchesAttempts() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void stoppingFailsWhatWaitsWhatComesBackThrottledAndWhatArrives() {
        SendTaskFailureRequest request = SendTaskFailureRequest.builder().taskToken("AQCEAAAAKgAAAAMAAAAA").build();
        List<CompletableFuture<SendTaskFailureResponse>> reports = new ArrayList<>();
        for (int i = 0; i <= ThrottlePacer.MAX_IN_FLIGHT; i++) {
            reports.add(client.send(TaskCall.FAILURE, request));
        }
        assertThat(onTheWire).as("on the wire").hasSize(ThrottlePacer.MAX_IN_FLIGHT);
        CompletableFuture<SendTaskFailureResponse> waiting = reports.get(ThrottlePacer.MAX_IN_FLIGHT);
        assertThat(waiting).isNotDone();

        endpoint.leave();

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped before this failure report could be sent");
        SfnException throttled = (SfnException) SfnException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        onTheWire.get(0).completeExceptionally(throttled);
        assertThat(reports.get(0)).as("not put back to wait for a drain that never comes").isCompletedExceptionally();
        assertThatThrownBy(reports.get(0)::join).cause().isSameAs(throttled);
        assertThatThrownBy(client.send(TaskCall.FAILURE, request)::join).cause().hasMessageContaining("stopped");
        assertThat(onTheWire).as("nothing more sent").hasSize(ThrottlePacer.MAX_IN_FLIGHT);
    }

    @Test
    void aCallThatThrowsAnErrorFailsThatReportAloneAndThePacerGoesOn() {
        SendTaskFailureRequest request = SendTaskFailureRequest.builder().taskToken("AQCEAAAAKgAAAAMAAAAA").build();
        NoClassDefFoundError mixedSdk = new NoClassDefFoundError("software/amazon/awssdk/endpoints/EndpointUrl");

        CompletableFuture<SendTaskFailureResponse> broken = endpoint.pace(() -> {
            throw mixedSdk;
        });
        CompletableFuture<SendTaskFailureResponse> next = client.send(TaskCall.FAILURE, request);

        assertThat(broken).isCompletedExceptionally();
        assertThatThrownBy(broken::join).hasCause(mixedSdk);
        assertThat(onTheWire).as("the next report is on the wire").hasSize(1);
        onTheWire.get(0).complete(SendTaskFailureResponse.builder().build());
        assertThat(next).isCompleted();
    }
}
