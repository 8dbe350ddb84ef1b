/**
 * Task journals: what an activity worker keeps across its own death.
 *
 * <p>A worker writes each task token to a journal before the task's exchange starts and takes it out once the task's
 * answer landed (or the task was found closed). A worker that ends abruptly (SIGKILL, an OOM kill, a JVM crash, a lost
 * node) leaves its tokens behind; the next worker of the same identity ({@link io.github.sfnfail.camel.journal.FileTaskJournal})
 * or any live worker of the same activity ({@link io.github.sfnfail.camel.journal.JdbcTaskJournal}) is handed them as
 * {@link io.github.sfnfail.camel.journal.LostTask}s and fails them at once, so that the state machine's {@code Retry}
 * hands them on in seconds rather than after the task's {@code TimeoutSeconds}.
 *
 * <p>Task tokens are bearer credentials: journal files are readable by their owner only, and no log line or exception
 * message of this package shows a token in full.
 *
 * <p>This package depends on nothing else of the project (SLF4J for its logs, {@code javax.sql} for the JDBC journal).
 */
package io.github.sfnfail.camel.journal;
