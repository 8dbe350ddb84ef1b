package io.github.sfnfail.camel.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/sqs-callback-worker.yaml against a real {@code sqs:sendMessage.waitForTaskToken} integration (moto): the
 * state machine itself puts each task token on the queue; orders that can be served SUCCEED with the route's output,
 * the others FAIL with the exception's class as error.
 */
class SqsWaitForTaskTokenOnMotoIT {

    private static final int ORDERS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @Test
    void halfTheOrdersSucceedWithTheRoutesOutputAndHalfFailWithTheExceptionClass() throws Exception {
        ExampleTarget target = new ExampleTarget(MotoServer.REGION, moto.endpoint(), moto.endpoint(), "moto", "moto",
                ExampleTarget.LOCAL_ROLE);
        String queue = "orders-" + System.nanoTime();
        Properties properties = target.properties();
        properties.setProperty("sqs.queue", queue);
        try (ExampleApplication app = ExampleApplication.start(properties, "sqs-callback-worker.yaml",
                "reserve-stock.yaml");
             StepFunctionsDriver driver = StepFunctionsDriver.connect(target)) {
            String definition = """
                    {"StartAt": "ReserveStock",
                     "States": {"ReserveStock": {
                       "Type": "Task",
                       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": "%s", "MessageBody": {"taskToken.$": "$$.Task.Token", "order.$": "$"}},
                       "TimeoutSeconds": 120,
                       "End": true}}}
                    """.formatted(moto.queueUrl(queue));
            String stateMachine = driver.createStateMachineFrom(queue, definition, target.roleArn());

            List<String> executions = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                int quantity = i % 2 == 0 ? i + 1 : 0;
                executions.add(driver.startExecution(stateMachine,
                        "{\"orderId\":\"o-" + i + "\",\"sku\":\"SKU-1\",\"quantity\":" + quantity + "}"));
            }

            for (int i = 0; i < ORDERS; i++) {
                String execution = executions.get(i);
                ExecutionStatus status = driver.awaitEnd(execution);
                if (i % 2 == 0) {
                    assertThat(status).as("order o-" + i).isEqualTo(ExecutionStatus.SUCCEEDED);
                    assertThat(JSON.readTree(driver.output(execution))).isEqualTo(JSON.readTree(
                            "{\"orderId\":\"o-" + i + "\",\"sku\":\"SKU-1\",\"quantity\":" + (i + 1) + "}"));
                } else {
                    assertThat(status).as("order o-" + i).isEqualTo(ExecutionStatus.FAILED);
                    assertThat(driver.error(execution)).isEqualTo("java.lang.IllegalArgumentException");
                }
            }
        }
    }
}
