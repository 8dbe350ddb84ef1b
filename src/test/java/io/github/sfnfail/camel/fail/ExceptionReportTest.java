package io.github.sfnfail.camel.fail;

import io.github.sfnfail.camel.fail.ExceptionReport;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda-style error and cause derived from an exception.
 */
class ExceptionReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void errorIsTheFullyQualifiedClassName() {
        assertThat(ExceptionReport.errorName(new IllegalStateException("x"), 256)).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void causeIsLambdaShapedJsonWithTheCauseChain() throws IOException {
        Exception exception = new IllegalStateException("payment \"declined\"\n\tline two",
                new java.net.SocketTimeoutException("read timed out"));

        JsonNode cause = JSON.readTree(ExceptionReport.causeJson(exception, 32768));

        assertThat(cause.get("errorMessage").asText()).isEqualTo("payment \"declined\"\n\tline two");
        assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(cause.get("stackTrace").get(0).asText()).startsWith(getClass().getName() + ".causeIsLambdaShaped");
        assertThat(cause.get("cause").get("errorType").asText()).isEqualTo("java.net.SocketTimeoutException");
        assertThat(cause.get("cause").get("errorMessage").asText()).isEqualTo("read timed out");
    }

    @Test
    void exceptionWithoutMessageHasNullErrorMessage() throws IOException {
        JsonNode cause = JSON.readTree(ExceptionReport.causeJson(new NullPointerException(), 32768));

        assertThat(cause.get("errorMessage").isNull()).isTrue();
    }

    @Test
    void hugeStackTraceDropsFramesToFitAndKeepsTheMessage() throws IOException {
        Exception exception = deep(3000, "the message a person acts on");

        String json = ExceptionReport.causeJson(exception, 32768);

        assertThat(json.length()).isLessThanOrEqualTo(32768).isGreaterThan(30000);
        JsonNode cause = JSON.readTree(json);
        assertThat(cause.get("errorMessage").asText()).isEqualTo("the message a person acts on");
        assertThat(cause.get("stackTrace").size()).isBetween(1, 2999);
    }

    @Test
    void messageLongerThanTheLimitIsCutWithAMarkerAndStaysValidJson() throws IOException {
        String message = "\"quoted\" \\ and \u00e9 ".repeat(5000);
        Exception exception = new RuntimeException(message, new IllegalArgumentException(message));

        String json = ExceptionReport.causeJson(exception, 32768);

        assertThat(json.length()).isLessThanOrEqualTo(32768);
        JsonNode cause = JSON.readTree(json);
        assertThat(cause.get("errorMessage").asText()).startsWith("\"quoted\"").contains("…[truncated ");
        assertThat(cause.get("stackTrace").size()).isZero();
    }

    @Test
    void cyclicCauseChainEnds() throws IOException {
        IllegalStateException first = new IllegalStateException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        JsonNode cause = JSON.readTree(ExceptionReport.causeJson(first, 32768));

        assertThat(cause.get("cause").get("errorMessage").asText()).isEqualTo("second");
        assertThat(cause.get("cause").get("cause")).isNull();
    }

    private static Exception deep(int depth, String message) {
        if (depth == 0) {
            return new IllegalStateException(message);
        }
        return deep(depth - 1, message);
    }
}
