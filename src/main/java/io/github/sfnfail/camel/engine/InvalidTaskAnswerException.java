package io.github.sfnfail.camel.engine;

/**
 * An answer that Step Functions would refuse (a missing token, an error or cause over its limit, a reserved error name,
 * output that is not JSON or too large...). Thrown before anything is sent, so the exchange can be corrected and
 * retried with nothing lost; its message names the header or option and the limit.
 */
public class InvalidTaskAnswerException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The part of an answer that was refused before any call. */
    public enum Part {
        TOKEN, ERROR, CAUSE, OUTPUT, BODY
    }

    private final Part part;

    public InvalidTaskAnswerException(Part part, String message) {
        super(message);
        this.part = part;
    }

    /** The part of the answer that is wrong. */
    public Part part() {
        return part;
    }
}
