package io.github.sfnfail.camel.activity;

import java.nio.file.Path;
import java.util.Objects;

import io.github.sfnfail.camel.journal.FileTaskJournal;
import io.github.sfnfail.camel.journal.TaskJournal;

/**
 * The options that shape a worker's polls and capacity: every route attached to one worker at the same time must give
 * the same, and a route that attaches when no other is attached (a reload) brings its own.
 *
 * @param fewestPollers     the long polls kept open at least while there is room for their tasks
 * @param mostPollers       the long polls open at most, when polls keep bringing tasks
 * @param maxTasks          how many tasks may be in hand at once, open polls included (each may bring one)
 * @param clientConnections the connections taken for a client from the registry
 * @param taskJournal       the journal bean the tasks are recorded in (taskJournal), or null
 * @param journalDirectory  the directory of a file journal (journalDirectory), or null
 */
record WorkerShape(int fewestPollers, int mostPollers, int maxTasks, int clientConnections, TaskJournal taskJournal,
                   String journalDirectory) {

    WorkerShape(int fewestPollers, int mostPollers, int maxTasks, int clientConnections) {
        this(fewestPollers, mostPollers, maxTasks, clientConnections, null, null);
    }

    /** The journal the worker records its tasks in, or null for none (a bean wins over a directory). */
    TaskJournal journal() {
        if (taskJournal != null) {
            return taskJournal;
        }
        return journalDirectory == null ? null : new FileTaskJournal(Path.of(journalDirectory));
    }

    /** Whether the other shape names the same journal. */
    boolean sameJournal(WorkerShape other) {
        return taskJournal == other.taskJournal && Objects.equals(journalDirectory, other.journalDirectory);
    }

    /** The first option in which the other shape differs, in words ("maxConcurrentTasks 50 and 10"), or null. */
    String differenceFrom(WorkerShape other) {
        if (fewestPollers != other.fewestPollers) {
            return "concurrentPollers " + fewestPollers + " and " + other.fewestPollers;
        }
        if (mostPollers != other.mostPollers) {
            return "maxConcurrentPollers " + mostPollers + " and " + other.mostPollers;
        }
        if (maxTasks != other.maxTasks) {
            return "maxConcurrentTasks " + maxTasks + " and " + other.maxTasks;
        }
        if (clientConnections != other.clientConnections) {
            return "clientConnections " + clientConnections + " and " + other.clientConnections;
        }
        if (taskJournal != other.taskJournal) {
            return "taskJournal " + taskJournal + " and " + other.taskJournal;
        }
        if (!Objects.equals(journalDirectory, other.journalDirectory)) {
            return "journalDirectory " + journalDirectory + " and " + other.journalDirectory;
        }
        return null;
    }
}
