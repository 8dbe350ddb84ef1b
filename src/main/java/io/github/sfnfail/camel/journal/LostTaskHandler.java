package io.github.sfnfail.camel.journal;

import java.util.List;

/**
 * What a journal hands the tasks to that a worker left behind when it ended abruptly.
 *
 * <p>The handler should fail each task (for example with {@code SendTaskFailure}) and then call
 * {@link JournalSession#remove(String)} for it, as for a task of its own: a lost task stays in the journal until it is
 * removed, so a worker that dies again before failing them hands them on once more, and nothing is lost. It is called
 * on the thread that opens the journal (before {@link TaskJournal#open} returns) for the tasks of this worker's own
 * identity, and by the JDBC journal later on its lease thread for the tasks of a lapsed worker it claimed; it should
 * hand the work on rather than block. An exception it throws is logged and the tasks stay in the journal.
 */
@FunctionalInterface
public interface LostTaskHandler {

    /**
     * Takes over tasks a worker that ended abruptly left in hand.
     *
     * @param tasks the tasks, never empty, each handed out once by this journal session
     */
    void lost(List<LostTask> tasks);
}
