package io.github.sfnfail.camel.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/http-task-success.yaml: a reviewer approves a task over HTTP with an output, or keeps it alive; the answers
 * are those of http-task-failure.yaml.
 */
class HttpTaskSuccessRouteIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private StepFunctionsDriver driver;
    private ExampleApplication app;
    private String activityArn;
    private String stateMachineArn;
    private String base;

    @BeforeEach
    void start() {
        ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), null);
        driver = StepFunctionsDriver.connect(target);
        String name = "http-success-" + System.nanoTime();
        activityArn = driver.createActivity(name);
        stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn(), 3);
        int port = FreePort.pick();
        Properties properties = target.properties();
        properties.setProperty("http.port", String.valueOf(port));
        app = ExampleApplication.start(properties, "http-task-failure.yaml", "http-task-success.yaml");
        base = "http://127.0.0.1:" + port + "/tasks/";
    }

    @AfterEach
    void stop() {
        app.close();
        driver.close();
    }

    @Test
    void approvalSucceedsTheTaskWithTheOutputAndAnswers202() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = driver.awaitTask(activityArn).taskToken();

        HttpResponse<String> answer = post("success", "{\"taskToken\":\"" + token + "\",\"output\":{\"approvedBy\":"
                                                      + "\"ana\",\"amount\":120.5}}");

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(driver.output(execution)))
                .isEqualTo(JSON.readTree("{\"approvedBy\":\"ana\",\"amount\":120.5}"));
    }

    @Test
    void heartbeatsKeepATaskAlivePastItsHeartbeatSeconds() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = driver.awaitTask(activityArn).taskToken();

        // 6 s under HeartbeatSeconds=3, a heartbeat a second
        for (int i = 0; i < 6; i++) {
            assertThat(post("heartbeat", "{\"taskToken\":\"" + token + "\"}").statusCode()).isEqualTo(202);
            Thread.sleep(1_000);
        }
        assertThat(driver.status(execution)).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(post("success", "{\"taskToken\":\"" + token + "\",\"output\":{\"late\":false}}").statusCode())
                .isEqualTo(202);
        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void approvalWithoutOutputAnswers400AndUnknownTokenAnswers404() throws Exception {
        HttpResponse<String> noOutput = post("success", "{\"taskToken\":\"00000000-0000-0000-0000-000000000000\"}");
        HttpResponse<String> unknown = post("success",
                "{\"taskToken\":\"00000000-0000-0000-0000-000000000000\",\"output\":{}}");

        assertThat(noOutput.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noOutput.body()).get("message").asText()).contains("No output");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("NoSuchTask");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
