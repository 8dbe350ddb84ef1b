package io.github.sfnfail.camel.examples;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/sqs-callback-worker.yaml consumes a .waitForTaskToken message from SQS (ElasticMQ) carrying a real token of the
 * emulator, and fails the task with the error and cause derived from the exception, Lambda style.
 */
class SqsCallbackWorkerRouteIT {

    private static LocalSqs sqs;

    private StepFunctionsDriver driver;
    private ExampleApplication app;
    private String activityArn;
    private String stateMachineArn;
    private String queue;

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void start() {
        ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), sqs.endpoint());
        driver = StepFunctionsDriver.connect(target);
        String name = "sqs-worker-" + System.nanoTime();
        activityArn = driver.createActivity(name);
        stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn());
        queue = name;
        Properties properties = target.properties();
        properties.setProperty("sqs.queue", queue);
        app = ExampleApplication.start(properties, "sqs-callback-worker.yaml", "reserve-stock.yaml");
    }

    @AfterEach
    void stop() {
        app.close();
        driver.close();
    }

    @Test
    void failedOrderFromTheQueueFailsTheExecutionWithTheExceptionClassAndALambdaStyleCause() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = driver.awaitTask(activityArn).taskToken();

        app.context().createProducerTemplate().sendBody("aws2-sqs:" + queue,
                "{\"taskToken\":\"" + token + "\",\"order\":{\"orderId\":\"o-9\",\"sku\":\"SKU-2\",\"quantity\":-1}}");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
        assertThat(failure.error()).isEqualTo("java.lang.IllegalArgumentException");
        JsonNode cause = new ObjectMapper().readTree(failure.cause());
        assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(cause.get("errorMessage").asText()).isEqualTo("Order o-9 asks for -1 of SKU-2: nothing to reserve");
        assertThat(cause.get("stackTrace").size()).isPositive();
    }

    @Test
    void orderFromTheQueueThatCanBeServedSucceedsTheExecutionWithTheOrderAsOutput() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = driver.awaitTask(activityArn).taskToken();

        app.context().createProducerTemplate().sendBody("aws2-sqs:" + queue,
                "{\"taskToken\":\"" + token + "\",\"order\":{\"orderId\":\"o-10\",\"sku\":\"SKU-2\",\"quantity\":3}}");

        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(new ObjectMapper().readTree(driver.output(execution)))
                .isEqualTo(new ObjectMapper().readTree("{\"orderId\":\"o-10\",\"sku\":\"SKU-2\",\"quantity\":3}"));
    }
}
