package io.github.sfnfail.camel.journal;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A worker in a JVM of its own, for the tests that need another process: it opens the file journal for one identity,
 * records {@code add} tasks, removes the first {@code remove} of them, waits until that is durable, prints
 * {@code HOLDING} and then holds the journal until it is killed (or its standard input closes).
 *
 * <p>Arguments: directory, activity ARN, worker name, add, remove.
 */
public final class JournalLockHolder {

    private JournalLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        FileTaskJournal journal = new FileTaskJournal(Path.of(args[0]));
        JournalSession session = journal.open(args[1], args[2], tasks -> { });
        int add = Integer.parseInt(args[3]);
        int remove = Integer.parseInt(args[4]);
        for (int i = 0; i < add; i++) {
            String token = "holder-" + i + "-" + TestTokens.token(900);
            session.add(token).get(30, TimeUnit.SECONDS);
            if (i < remove) {
                session.remove(token);
            }
        }
        session.flushed().get(30, TimeUnit.SECONDS);
        System.out.println("HOLDING");
        System.out.flush();
        // held until killed; a closed standard input (the test ended without killing it) ends it too
        while (System.in.read() >= 0) {
            // nothing to read
        }
        session.close();
    }
}
