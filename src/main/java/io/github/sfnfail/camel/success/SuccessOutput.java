package io.github.sfnfail.camel.success;

import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException.Part;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;
import org.apache.camel.WrappedFile;
import org.apache.camel.util.json.Jsoner;

/**
 * The output of a success report, from the message body: text (a String, byte[], stream, file, or anything else Camel
 * holds as text) must be JSON already and is sent as it is; a Map, a Collection, an array, a number or a boolean is
 * written as JSON, and so is any other object when Jackson is on the class path. Checked against what Step Functions
 * accepts before any call: valid JSON, at most {@value #MAX_OUTPUT_BYTES} bytes of UTF-8.
 */
public final class SuccessOutput {

    /** The service's payload quota for any task, state or execution input or output. */
    public static final int MAX_OUTPUT_BYTES = 262_144;

    private static final String JACKSON = "com.fasterxml.jackson.databind.ObjectMapper";

    private final boolean jackson;

    public SuccessOutput() {
        this.jackson = isOnClassPath();
    }

    private static boolean isOnClassPath() {
        try {
            Class.forName(JACKSON, false, SuccessOutput.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @throws InvalidTaskAnswerException when there is no output, it is not JSON or it is too large; the message is
     *                                    left as it was
     */
    public String from(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            throw refused("No output: the message body is empty, and SendTaskSuccess needs JSON output (send the text "
                          + "{} or null for a task without a result)");
        }
        String json;
        if (isText(body)) {
            json = exchange.getContext().getTypeConverter().convertTo(String.class, exchange, body);
            if (body instanceof StreamCache cache) {
                cache.reset();
            } else if (body instanceof InputStream || body instanceof Reader) {
                // read once: the message keeps the text, so that nothing is lost if the report is refused or fails
                exchange.getMessage().setBody(json);
            }
            if (json == null) {
                throw refused("The output (the message body, a " + body.getClass().getName() + ") could not be read "
                              + "as text");
            }
            checkJson(json);
        } else {
            json = write(body);
        }
        long bytes = utf8Length(json);
        if (bytes > MAX_OUTPUT_BYTES) {
            throw refused("The output (the message body) is " + bytes + " bytes of UTF-8; Step Functions accepts at most "
                          + MAX_OUTPUT_BYTES + " (its payload quota). Put the payload in S3 and send a pointer to it, "
                          + "for example {\"bucket\": ..., \"key\": ...}");
        }
        return json;
    }

    private static boolean isText(Object body) {
        return body instanceof CharSequence || body instanceof byte[] || body instanceof InputStream
               || body instanceof Reader || body instanceof ByteBuffer || body instanceof StreamCache
               || body instanceof WrappedFile || body instanceof File || body instanceof Path;
    }

    private static void checkJson(String json) {
        JsonSyntax.Problem problem = JsonSyntax.check(json);
        if (problem != null) {
            throw refused("The output (the message body) is not JSON: " + problem.what() + " at position "
                          + problem.position() + " of " + json.length() + " characters; Step Functions would refuse "
                          + "it (InvalidOutput)");
        }
    }

    private String write(Object body) {
        if (jackson) {
            return JacksonWriter.write(body);
        }
        try {
            return Jsoner.serialize(body);
        } catch (IllegalArgumentException e) {
            throw refused("The output (the message body, a " + body.getClass().getName() + ") cannot be written as "
                          + "JSON without Jackson: add camel-jackson (or jackson-databind) to the application, or "
                          + "marshal it to JSON text before this endpoint");
        }
    }

    /** The length in bytes of the text as UTF-8, without encoding it. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                       && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static InvalidTaskAnswerException refused(String message) {
        return new InvalidTaskAnswerException(Part.OUTPUT, message);
    }

    /** Loaded only when Jackson is on the class path. */
    private static final class JacksonWriter {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER
                = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules();

        static String write(Object body) {
            try {
                return MAPPER.writeValueAsString(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw refused("The output (the message body, a " + body.getClass().getName()
                              + ") cannot be written as JSON: " + e.getOriginalMessage());
            }
        }
    }
}
