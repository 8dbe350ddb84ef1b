package io.github.sfnfail.camel.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open file journal: the lock held, the file appended to by one writer thread. Only the writer thread touches the
 * channel and the live set (and the constructor, before the thread starts).
 */
final class FileJournalSession extends GroupCommit implements JournalSession {

    private static final Logger LOG = LoggerFactory.getLogger(FileJournalSession.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final FileTaskJournal journal;
    private final Path file;
    private final Path temp;
    private final String activityArn;
    private final String workerName;
    private final Path lockPath;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** token → when recorded (epoch millis): what the file holds once everything written is durable */
    private Map<String, Long> live;
    private FileChannel channel;
    /** lines in the file since it was last rewritten */
    private long recordsInFile;
    /** a write failed: the file may end with anything, so the next write rewrites it whole */
    private boolean needsRewrite;
    /** how many lines the file holds before compaction is tried (it backs off when compaction fails) */
    private long nextCompaction;
    private volatile boolean closed;

    FileJournalSession(FileTaskJournal journal, Path file, String activityArn, String workerName, Map<String, Long> live,
            Path lockPath, FileChannel lockChannel, FileLock lock) {
        super(LOG, "Task journal " + file + " cannot be written", "sfn-journal-" + workerName, Duration.ofSeconds(1));
        this.journal = journal;
        this.file = file;
        this.temp = file.resolveSibling(file.getFileName() + ".tmp");
        this.activityArn = activityArn;
        this.workerName = workerName;
        this.lockPath = lockPath;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.live = new LinkedHashMap<>(live);
        this.nextCompaction = journal.compactionMinimum();
        // a fresh file holding the tasks left behind: no torn tail, no removed records, its header checked
        try {
            rewrite(this.live);
        } catch (IOException e) {
            needsRewrite = true;
            reportFault(e);
        }
    }

    @Override
    protected void write(List<Op> records) throws IOException {
        if (needsRewrite || channel == null) {
            Map<String, Long> next = new LinkedHashMap<>(live);
            apply(records, next);
            try {
                rewrite(next);
            } catch (IOException e) {
                applyRemoves(records);
                throw e;
            }
            live = next;
            needsRewrite = false;
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 128);
        int lines = 0;
        for (Op op : records) {
            if (op.kind() == Kind.ADD) {
                JournalFormat.appendAdd(out, op.token(), op.millis());
                lines++;
            } else if (live.containsKey(op.token()) || addedEarlier(records, op)) {
                JournalFormat.appendRemove(out, op.token());
                lines++;
            }
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            // what reached the file is unknown: the next write rewrites it from the live set
            needsRewrite = true;
            applyRemoves(records);
            throw e;
        }
        apply(records, live);
        recordsInFile += lines;
    }

    private static boolean addedEarlier(List<Op> records, Op remove) {
        for (Op op : records) {
            if (op == remove) {
                return false;
            }
            if (op.kind() == Kind.ADD && op.token().equals(remove.token())) {
                return true;
            }
        }
        return false;
    }

    private static void apply(List<Op> records, Map<String, Long> target) {
        for (Op op : records) {
            if (op.kind() == Kind.ADD) {
                target.putIfAbsent(op.token(), op.millis());
            } else {
                target.remove(op.token());
            }
        }
    }

    /** A failed batch's removals still count: the task is answered; the file says so at the next rewrite. */
    private void applyRemoves(List<Op> records) {
        for (Op op : records) {
            if (op.kind() == Kind.REMOVE) {
                live.remove(op.token());
            }
        }
    }

    @Override
    protected void afterBatch() throws IOException {
        if (needsRewrite || recordsInFile < nextCompaction || live.size() * 4L > recordsInFile) {
            return;
        }
        try {
            rewrite(live);
            nextCompaction = journal.compactionMinimum();
        } catch (IOException e) {
            nextCompaction = recordsInFile * 2;
            throw e;
        }
    }

    @Override
    protected void idle() throws IOException {
        if (needsRewrite || channel == null) {
            rewrite(live);
            needsRewrite = false;
            writeFault.succeeded();
        }
    }

    /**
     * The file replaced by one holding exactly these tasks: a temporary file written and fsynced, renamed over the
     * journal atomically, the directory fsynced, the new file opened for appending.
     */
    private void rewrite(Map<String, Long> tasks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + tasks.size() * 128);
        out.writeBytes(JournalFormat.header(activityArn, workerName));
        for (Map.Entry<String, Long> task : tasks.entrySet()) {
            JournalFormat.appendAdd(out, task.getKey(), task.getValue());
        }
        Files.deleteIfExists(temp);
        try (FileChannel tmp = journal.opener().open(temp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), journal.fileAttributes())) {
            ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
            while (buffer.hasRemaining()) {
                tmp.write(buffer);
            }
            tmp.force(true);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw e;
        }
        try {
            journal.move(temp, file);
        } catch (IOException e) {
            // the journal as it was, and its channel, stay in use
            deleteQuietly(temp);
            throw e;
        }
        // the old channel now writes to a file no longer linked: never again
        closeChannel();
        journal.syncDirectory();
        channel = journal.opener().open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        recordsInFile = tasks.size();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {}", file, e);
            }
            channel = null;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the next rewrite deletes it first
        }
    }

    @Override
    protected String describe(Exception error, List<Op> records) {
        String text = error.getMessage() == null ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + error.getMessage();
        return "task journal " + file + " cannot be written (" + text + ")";
    }

    @Override
    public String problem() {
        return writeProblem();
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(CLOSE_WAIT);
        closeChannel();
        journal.release(lockPath, lockChannel, lock);
        LOG.debug("Task journal {} closed", file);
    }

    /** For tests: ends as a killed process would, without writing what is queued; the lock is released. */
    void abandonForTest() {
        closed = true;
        abandon();
        closeChannel();
        journal.release(lockPath, lockChannel, lock);
    }

    /** For tests and figures: how many batches were written (each cost one fsync). */
    long batchesWritten() {
        return batches();
    }

    @Override
    public String toString() {
        return "FileJournalSession[" + file + "]";
    }
}
