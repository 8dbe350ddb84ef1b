package io.github.sfnfail.camel.journal;

/**
 * A task journal could not be opened, or could not make a record durable. Its message names the journal (directory and
 * file, or table), never a task token in full.
 */
public class JournalException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * A journal error.
     *
     * @param message what failed, naming the journal, and what to do about it where that is known
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * A journal error with its cause.
     *
     * @param message what failed, naming the journal, and what to do about it where that is known
     * @param cause the underlying error (its messages already free of task tokens)
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
