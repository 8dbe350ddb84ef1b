package io.github.sfnfail.camel.journal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The file journal on its own: many tasks share each fsync (group commit), a disk that refuses writes fails the records
 * and says so until it writes again, a journal that cannot be read at open still opens, another process holding the
 * identity is refused until it dies (and then its tasks are handed out), and compaction keeps the file small.
 */
class FileTaskJournalTest {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:activity:journal";

    @TempDir
    Path directory;

    private final List<JournalSession> open = new CopyOnWriteArrayList<>();
    private final List<String> handed = new CopyOnWriteArrayList<>();
    private Process holder;

    @AfterEach
    void close() {
        open.forEach(JournalSession::close);
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    private JournalSession openWith(FileTaskJournal journal, String worker) throws JournalException {
        JournalSession session = journal.open(ARN, worker, lost -> lost.forEach(task -> handed.add(task.token())));
        open.add(session);
        return session;
    }

    private FileTaskJournal journal(FaultyChannels channels) {
        FileTaskJournal journal = new FileTaskJournal(directory.resolve("journal"));
        journal.setOpener(channels);
        return journal;
    }

    @Test
    void manyTasksShareEachFsync() throws Exception {
        FaultyChannels channels = new FaultyChannels();
        channels.forceMillis = 10;
        JournalSession session = openWith(journal(channels), "group");
        long forcesAtOpen = channels.forces.get();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> written = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 400; i++) {
            callers.execute(() -> written.add(session.add(TestTokens.token())));
        }
        callers.shutdown();
        assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long forces = channels.forces.get() - forcesAtOpen;
        assertThat(session.journaled()).isEqualTo(400);
        assertThat(forces).as("fsyncs for 400 records written at once").isPositive().isLessThan(200);
        System.out.printf("400 records in %d fsyncs%n", forces);
    }

    /**
     * A stream of tasks on a disk whose fsync takes no time: without a pause between batches each record would be a
     * batch of its own, an fsync per task (the benchmark's short tasks lost a fifth of their rate to it). The writer
     * lets records gather for {@link GroupCommit#MIN_BATCH_INTERVAL_NANOS} after each write.
     */
    @Test
    void aStreamOfTasksOnAFastDiskIsWrittenAtMostEveryTenMilliseconds() throws Exception {
        FaultyChannels channels = new FaultyChannels();
        JournalSession session = openWith(journal(channels), "stream");
        long forcesAtOpen = channels.forces.get();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            written.add(session.add(TestTokens.token()));
            Thread.sleep(1);
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        long forces = channels.forces.get() - forcesAtOpen;
        assertThat(session.journaled()).isEqualTo(300);
        // one write per 10 ms of the stream at most, and a few in slack (a write that ended late, the last one)
        assertThat(forces).as("fsyncs for 300 records over %d ms", millis).isPositive().isLessThanOrEqualTo(millis / 10 + 5);
    }

    @Test
    void aDiskThatRefusesWritesFailsTheRecordsAndSaysSoUntilItWritesAgain() throws Exception {
        FaultyChannels channels = new FaultyChannels();
        FileTaskJournal journal = journal(channels);
        JournalSession session = openWith(journal, "full-disk");
        String before = TestTokens.token();
        session.add(before).get(10, TimeUnit.SECONDS);

        channels.failWrites = true;
        String refused = TestTokens.token();
        assertThatThrownBy(() -> session.add(refused).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(JournalException.class).hasMessageContaining("No space left on device")
                .hasMessageNotContaining(refused);
        assertThat(session.problem()).contains(directory.resolve("journal").toString()).contains("cannot be written");
        assertThat(session.errors()).isPositive();

        channels.failWrites = false;
        await().atMost(Duration.ofSeconds(15)).until(() -> session.problem() == null);
        String after = TestTokens.token();
        session.add(after).get(10, TimeUnit.SECONDS);
        session.close();
        open.remove(session);

        openWith(new FileTaskJournal(directory.resolve("journal")), "full-disk");
        assertThat(handed).as("what was durable, before and after the fault").containsExactlyInAnyOrder(before, after);
    }

    @Test
    void aJournalThatCannotBeReadAtOpenStillOpens() throws Exception {
        JournalSession first = openWith(new FileTaskJournal(directory.resolve("journal")), "unreadable");
        first.add(TestTokens.token()).get(10, TimeUnit.SECONDS);
        first.close();
        open.remove(first);

        FaultyChannels channels = new FaultyChannels();
        channels.failReads = true;
        JournalSession session = openWith(journal(channels), "unreadable");
        assertThat(handed).as("nothing could be read to hand out").isEmpty();
        String token = TestTokens.token();
        channels.failReads = false;
        session.add(token).get(10, TimeUnit.SECONDS);
        assertThat(session.problem()).isNull();
    }

    @Test
    void anotherProcessHoldingTheIdentityIsRefusedUntilItDiesThenItsTasksAreHandedOut() throws Exception {
        Path journalDirectory = directory.resolve("journal");
        holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                JournalLockHolder.class.getName(), journalDirectory.toString(), ARN, "shared", "3", "1")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.contains("HOLDING"); ) {
                lines.add(line);
            }
            assertThat(holder.isAlive()).as(String.join("\n", lines)).isTrue();

            assertThatThrownBy(() -> openWith(new FileTaskJournal(journalDirectory), "shared"))
                    .isInstanceOf(JournalInUseException.class).hasMessageContaining(journalDirectory.toString())
                    .hasMessageContaining("worker name 'shared'").hasMessageContaining("another process");

            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
        }
        openWith(new FileTaskJournal(journalDirectory), "shared");
        assertThat(handed).as("the killed process's tasks, but the one it removed").hasSize(2)
                .allMatch(token -> token.startsWith("holder-1-") || token.startsWith("holder-2-"));
    }

    @Test
    void compactionKeepsTheFileSmall() throws Exception {
        FileTaskJournal journal = new FileTaskJournal(directory.resolve("journal"));
        journal.setCompactionMinimum(50);
        JournalSession session = openWith(journal, "compacting");
        for (int i = 0; i < 500; i++) {
            String token = TestTokens.token(1000);
            session.add(token).get(10, TimeUnit.SECONDS);
            session.remove(token);
        }
        session.flushed().get(10, TimeUnit.SECONDS);
        long size;
        try (var files = Files.list(directory.resolve("journal"))) {
            size = files.filter(file -> file.toString().endsWith(".journal")).mapToLong(file -> file.toFile().length())
                    .sum();
        }
        assertThat(size).as("1,000 records of 1,000-character tokens, compacted").isLessThan(200_000);
    }
}
