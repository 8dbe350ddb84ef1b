package io.github.sfnfail.camel.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ActivityFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/http-task-failure.yaml: a reviewer rejects a task over HTTP; bad requests get a 400 JSON answer and leave the
 * execution untouched.
 */
class HttpTaskFailureRouteIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private StepFunctionsDriver driver;
    private ExampleApplication app;
    private String activityArn;
    private String stateMachineArn;
    private URI endpoint;

    @BeforeEach
    void start() {
        ExampleTarget target = ExampleTarget.local(StepFunctionsLocal.shared().endpoint(), null);
        driver = StepFunctionsDriver.connect(target);
        String name = "http-" + System.nanoTime();
        activityArn = driver.createActivity(name);
        stateMachineArn = driver.createStateMachine(name, activityArn, target.roleArn());
        int port = FreePort.pick();
        Properties properties = target.properties();
        properties.setProperty("http.port", String.valueOf(port));
        app = ExampleApplication.start(properties, "http-task-failure.yaml");
        endpoint = URI.create("http://127.0.0.1:" + port + "/tasks/failure");
    }

    @AfterEach
    void stop() {
        app.close();
        driver.close();
    }

    @Test
    void rejectionFailsTheTaskAndAnswers202() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = nextToken();

        HttpResponse<String> answer = post("{\"taskToken\":\"" + token + "\",\"error\":\"RejectedByReviewer\","
                                           + "\"cause\":\"Invoice total does not match the PO\"}");

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(answer.body()).get("status").asText()).isEqualTo("reported");
        assertThat(answer.headers().map().toString()).doesNotContain(token);
        assertThat(driver.awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        ActivityFailedEventDetails failure = driver.activityFailure(execution).orElseThrow();
        assertThat(failure.error()).isEqualTo("RejectedByReviewer");
        assertThat(failure.cause()).isEqualTo("Invoice total does not match the PO");
    }

    @Test
    void requestWithoutTokenAnswers400NamingTheMissingToken() throws Exception {
        HttpResponse<String> answer = post("{\"error\":\"RejectedByReviewer\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("error").asText()).isEqualTo("InvalidRequest");
        assertThat(body.get("message").asText()).contains("No task token");
    }

    @Test
    void errorOver256CharactersAnswers400AndLeavesTheExecutionRunning() throws Exception {
        String execution = driver.startExecution(stateMachineArn, "{}");
        String token = nextToken();

        HttpResponse<String> answer = post("{\"taskToken\":\"" + token + "\",\"error\":\"" + "E".repeat(300) + "\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText()).contains("300 characters", "at most 256");
        assertThat(answer.body()).doesNotContain(token);
        // a reported failure shows about a second later in the emulator: the execution must stay RUNNING past that
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> driver.status(execution) == ExecutionStatus.RUNNING);
    }

    @Test
    void bodyThatIsNotJsonAnswers400() throws Exception {
        HttpResponse<String> answer = post("taskToken=abc");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("InvalidRequest");
    }

    @Test
    void unknownTokenAnswers404() throws Exception {
        HttpResponse<String> answer = post("{\"taskToken\":\"00000000-0000-0000-0000-000000000000\",\"error\":\"X\"}");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("NoSuchTask");
    }

    private String nextToken() {
        return driver.awaitTask(activityArn).taskToken();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
