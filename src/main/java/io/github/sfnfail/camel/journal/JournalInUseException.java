package io.github.sfnfail.camel.journal;

/**
 * A task journal refused to open for a worker identity because another live worker holds it (the same directory, or
 * table, activity and worker name): two live workers of one identity would fail each other's tasks as lost. The one
 * refusal a worker does not start past; any other {@link JournalException} at open lets it start without the journal.
 */
public class JournalInUseException extends JournalException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the journal, the activity, the worker name, who holds it, and the fix
     */
    public JournalInUseException(String message) {
        super(message);
    }
}
