package io.github.sfnfail.camel;

import io.github.sfnfail.camel.engine.TaskTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an exception on the exchange and no error or cause given, the report is derived from the exception, in doCatch,
 * onException and dead letter routes alike.
 */
class ExceptionDerivedReportTest extends WireMockSfnTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:doCatch")
                        .doTry()
                            .throwException(new IllegalStateException("stock service answered 503"))
                        .doCatch(Exception.class)
                            .to("aws-sfn-fail:doCatch")
                        .end();

                from("direct:onException")
                        .onException(IllegalArgumentException.class).handled(true)
                            .to("aws-sfn-fail:onException")
                        .end()
                        .throwException(new IllegalArgumentException("order has no lines"));

                from("direct:deadLetter")
                        .errorHandler(deadLetterChannel("direct:report"))
                        .throwException(new java.util.ConcurrentModificationException("lost the race"));
                from("direct:report").to("aws-sfn-fail:deadLetter");

                from("direct:quotesToken")
                        .doTry()
                            .process(e -> {
                                throw new IllegalStateException("could not use token "
                                                                + e.getMessage().getHeader(SfnConstants.TASK_TOKEN));
                            })
                        .doCatch(Exception.class)
                            .to("aws-sfn-fail:quotesToken")
                        .end();

                from("direct:thrownByType")
                        .doTry()
                            .throwException(IllegalStateException.class, "out of ${body}")
                        .doCatch(Exception.class)
                            .to("aws-sfn-fail:thrownByType")
                        .end();

                from("direct:explicitError")
                        .doTry()
                            .throwException(new IllegalStateException("boom"))
                        .doCatch(Exception.class)
                            .setHeader(SfnConstants.ERROR, constant("StockUnavailable"))
                            .to("aws-sfn-fail:explicit")
                        .end();

                from("direct:explicitOption")
                        .doTry()
                            .throwException(new IllegalStateException("boom"))
                        .doCatch(Exception.class)
                            .to("aws-sfn-fail:explicitOption?cause=see the runbook")
                        .end();
            }
        };
    }

    @Test
    void inDoCatchTheErrorIsTheExceptionClassAndTheCauseLambdaStyleJson() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:doCatch", null, SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode sent = sentBody();
        assertThat(sent.get("error").asText()).isEqualTo("java.lang.IllegalStateException");
        JsonNode cause = JSON.readTree(sent.get("cause").asText());
        assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(cause.get("errorMessage").asText()).isEqualTo("stock service answered 503");
        assertThat(cause.get("stackTrace").isArray()).isTrue();
    }

    @Test
    void anExceptionThatThrowExceptionMadeByReflectionStartsItsStackTraceWhereCamelMadeItNotInTheReflectionFrames()
            throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:thrownByType", "stock", SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode cause = JSON.readTree(sentBody().get("cause").asText());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("out of stock");
        assertThat(cause.get("stackTrace").get(0).asText())
                .startsWith("org.apache.camel.processor.ThrowExceptionProcessor.process(");
    }

    @Test
    void inOnExceptionTheReportComesFromTheHandledException() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:onException", null, SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode sent = sentBody();
        assertThat(sent.get("error").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(JSON.readTree(sent.get("cause").asText()).get("errorMessage").asText()).isEqualTo("order has no lines");
    }

    @Test
    void inADeadLetterRouteTheReportComesFromTheCaughtException() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:deadLetter", null, SfnConstants.TASK_TOKEN, TOKEN);

        assertThat(sentBody().get("error").asText()).isEqualTo("java.util.ConcurrentModificationException");
    }

    @Test
    void tokenQuotedByTheExceptionIsMaskedInTheDerivedCause() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:quotesToken", null, SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode cause = JSON.readTree(sentBody().get("cause").asText());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("could not use token " + TaskTokens.mask(TOKEN));
    }

    @Test
    void explicitErrorHeaderWinsAndTheCauseIsStillDerived() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:explicitError", null, SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode sent = sentBody();
        assertThat(sent.get("error").asText()).isEqualTo("StockUnavailable");
        assertThat(JSON.readTree(sent.get("cause").asText()).get("errorMessage").asText()).isEqualTo("boom");
    }

    @Test
    void explicitCauseOptionWinsAndTheErrorIsStillDerived() throws Exception {
        stubAccepted();

        template.sendBodyAndHeader("direct:explicitOption", null, SfnConstants.TASK_TOKEN, TOKEN);

        JsonNode sent = sentBody();
        assertThat(sent.get("error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(sent.get("cause").asText()).isEqualTo("see the runbook");
    }

    private static JsonNode sentBody() throws Exception {
        assertThat(requestsReceived()).isEqualTo(1);
        return JSON.readTree(SFN.findAll(sendTaskFailureRequested()).get(0).getBodyAsString());
    }
}
