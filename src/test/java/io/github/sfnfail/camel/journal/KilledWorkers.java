package io.github.sfnfail.camel.journal;

import java.util.concurrent.TimeUnit;

/** For tests outside this package: a worker of a JDBC journal that recorded tasks and was then killed. */
public final class KilledWorkers {

    private KilledWorkers() {
    }

    /** Opens a session as this worker, records the tokens durably, and ends it as a killed process would. */
    public static void leftBehind(JdbcTaskJournal journal, String activityArn, String workerName, String... tokens)
            throws Exception {
        JdbcJournalSession session = (JdbcJournalSession) journal.open(activityArn, workerName, lost -> {
        });
        for (String token : tokens) {
            session.add(token).get(10, TimeUnit.SECONDS);
        }
        session.kill();
    }
}
