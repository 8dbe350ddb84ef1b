package io.github.sfnfail.camel.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task journal in a directory, for one worker (or several worker identities of one process): what a worker keeps
 * across its own death on a disk that outlives the process (a host's disk, a Kubernetes {@code emptyDir} for a
 * container restart, a persistent volume for a pod's move).
 *
 * <p><b>Files.</b> One append-only file per worker identity (activity ARN and worker name), named
 * {@code ACTIVITY.WORKER.DIGEST.journal} (the activity's name and the worker name reduced to safe characters, and the
 * first 16 hex digits of the SHA-256 of ARN and worker name), beside a lock file {@code ….lock} that a live worker holds
 * locked ({@link FileChannel#tryLock()}), so that a second worker of the same identity, in this process or another, is
 * refused. The journal file starts with a header naming the activity and worker, then one line per task recorded
 * ({@code A}) and removed ({@code R}); every line carries its CRC-32 (format: {@code JournalFormat}). Files are
 * created {@code 0600} in a directory made {@code 0700}: the file holds task tokens in full, and a token lets anyone
 * complete or fail its task. Give the journal a directory of its own.
 *
 * <p><b>Writes.</b> Group commit: one writer thread per session writes every record queued while its previous fsync
 * ran, then one {@link FileChannel#force(boolean)} per batch, then completes the batch's futures. When the file is
 * mostly removed records it is compacted: the live records are written to a temporary file, which is fsynced and
 * renamed over the journal atomically, and the directory is fsynced.
 *
 * <p><b>Faults lose no task.</b> A write that fails (disk full, read-only directory, an I/O error) fails the futures of
 * its batch, sets {@link JournalSession#problem()}, logs one WARN and is retried (the whole journal is rewritten from
 * what the session holds) at the next batch, or after a second without one. A journal that cannot be read at open
 * (damaged, not a journal) is logged at WARN, moved aside ({@code ….journal.unreadable-MILLIS}) and the session opens
 * empty, so the worker still starts; a torn last line (a crash in the middle of a write) is ignored quietly.
 */
public class FileTaskJournal implements TaskJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileTaskJournal.class);
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    /** The lock files held open by this JVM: a second open of one identity never opens (and so never closes) one. */
    private static final Map<Path, Boolean> HELD = new ConcurrentHashMap<>();

    private final Path directory;
    private ChannelOpener opener = ChannelOpener.DEFAULT;
    private int compactionMinimum = 4096;

    /**
     * A journal in the given directory, created ({@code 0700}) at the first open if missing.
     *
     * @param directory a directory of the journal's own, on a disk that outlives the worker's process
     */
    public FileTaskJournal(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    /** @return the journal's directory */
    public Path getDirectory() {
        return directory;
    }

    /** For tests: how journal files are opened (to count fsyncs or inject faults). */
    void setOpener(ChannelOpener opener) {
        this.opener = opener;
    }

    /** For tests: how many records a file holds at least before it is compacted (default 4096). */
    void setCompactionMinimum(int records) {
        this.compactionMinimum = records;
    }

    @Override
    public JournalSession open(String activityArn, String workerName, LostTaskHandler handler) throws JournalException {
        requireText(activityArn, "activityArn");
        requireText(workerName, "workerName");
        Objects.requireNonNull(handler, "handler");
        prepareDirectory();
        String base = baseName(activityArn, workerName);
        Path lockPath = realDirectory().resolve(base + ".lock");
        Path journalPath = directory.resolve(base + ".journal");
        if (HELD.putIfAbsent(lockPath, Boolean.TRUE) != null) {
            throw refusal(activityArn, workerName, lockPath, "by another consumer in this JVM");
        }
        FileChannel lockChannel = null;
        FileLock lock = null;
        try {
            lockChannel = openLockFile(lockPath);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw refusal(activityArn, workerName, lockPath, "by another process");
            }
            JournalFormat.Contents contents = readJournal(journalPath, activityArn, workerName);
            FileJournalSession session = new FileJournalSession(this, journalPath, activityArn, workerName,
                    contents.live, lockPath, lockChannel, lock);
            session.start();
            handOut(session, contents.live, workerName, handler);
            return session;
        } catch (JournalException | RuntimeException e) {
            release(lockPath, lockChannel, lock);
            throw e;
        } catch (IOException e) {
            release(lockPath, lockChannel, lock);
            throw new JournalException("Cannot open the task journal lock file " + lockPath + " for worker '"
                    + workerName + "' of activity " + activityArn + ": " + e + ". Give the worker a directory it can"
                    + " write to (journalDirectory)", e);
        }
    }

    private void handOut(FileJournalSession session, Map<String, Long> live, String workerName, LostTaskHandler handler) {
        if (live.isEmpty()) {
            LOG.info("Task journal {} opened: no task was left behind", session.location());
            return;
        }
        List<LostTask> lost = new ArrayList<>(live.size());
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, Long> task : live.entrySet()) {
            lost.add(new LostTask(task.getKey(), workerName, Instant.ofEpochMilli(task.getValue())));
            oldest = Math.min(oldest, task.getValue());
        }
        LOG.info("Task journal {} opened: {} task(s) left behind by a worker of this name that ended abruptly, recorded"
                + " since {}", session.location(), lost.size(), Instant.ofEpochMilli(oldest));
        try {
            handler.lost(List.copyOf(lost));
        } catch (RuntimeException e) {
            LOG.warn("Task journal {}: the handler of the {} lost task(s) failed; they stay in the journal and are"
                    + " handed out again at the next open", session.location(), lost.size(), e);
        }
    }

    private JournalException refusal(String activityArn, String workerName, Path lockPath, String holder) {
        return new JournalInUseException("Task journal directory " + directory + " is in use for activity " + activityArn
                + " and worker name '" + workerName + "': its lock file " + lockPath.getFileName() + " is held " + holder
                + ". Two live workers of one name would fail each other's tasks: give each worker that shares a"
                + " journal directory its own worker name, or each its own journal directory");
    }

    void release(Path lockPath, FileChannel lockChannel, FileLock lock) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.debug("Releasing {}", lockPath, e);
        }
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing {}", lockPath, e);
        }
        HELD.remove(lockPath);
    }

    private JournalFormat.Contents readJournal(Path journalPath, String activityArn, String workerName)
            throws JournalException {
        if (!Files.exists(journalPath, LinkOption.NOFOLLOW_LINKS)) {
            return new JournalFormat.Contents();
        }
        ownerOnly(journalPath, false);
        try {
            JournalFormat.Contents contents = JournalFormat.read(readAll(journalPath), activityArn, workerName);
            if (contents.damaged > 0) {
                LOG.warn("Task journal {}: {} damaged record(s) skipped, {} read; a task whose record was damaged is"
                        + " not handed out", journalPath, contents.damaged, contents.records);
            }
            if (contents.tornBytes > 0) {
                LOG.debug("Task journal {}: a torn last record ({} bytes) ignored", journalPath, contents.tornBytes);
            }
            return contents;
        } catch (IOException | JournalFormat.NotAJournal e) {
            Path aside = journalPath.resolveSibling(journalPath.getFileName() + ".unreadable-" + System.currentTimeMillis());
            String moved;
            try {
                Files.move(journalPath, aside);
                moved = "moved aside to " + aside.getFileName();
            } catch (IOException m) {
                moved = "could not be moved aside (" + m + ") and will be replaced";
            }
            LOG.warn("Task journal {} cannot be read ({}): the tasks it may hold are not handed out; it {}. The worker"
                    + " starts with an empty journal", journalPath,
                    e instanceof JournalFormat.NotAJournal ? e.getMessage() : e.toString(), moved);
            return new JournalFormat.Contents();
        }
    }

    private byte[] readAll(Path path) throws IOException {
        try (FileChannel channel = opener.open(path, Set.of(StandardOpenOption.READ))) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("the file is too large to be a task journal (" + size + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
            byte[] data = new byte[buffer.position()];
            buffer.flip().get(data);
            return data;
        }
    }

    private FileChannel openLockFile(Path lockPath) throws IOException, JournalException {
        if (Files.exists(lockPath, LinkOption.NOFOLLOW_LINKS)) {
            ownerOnly(lockPath, false);
            return FileChannel.open(lockPath, StandardOpenOption.WRITE);
        }
        try {
            return FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    fileAttributes());
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(lockPath, StandardOpenOption.WRITE);
        }
    }

    /** The journal's directory, created {@code 0700} if missing, or made so. */
    private void prepareDirectory() throws JournalException {
        try {
            if (!Files.isDirectory(directory)) {
                if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                    throw new JournalException("Task journal directory " + directory + " is not a directory: give"
                            + " journalDirectory a directory of the journal's own");
                }
                if (directory.getParent() != null) {
                    Files.createDirectories(directory.getParent());
                }
                try {
                    if (posix()) {
                        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                    } else {
                        Files.createDirectory(directory);
                    }
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile by another worker: checked below
                }
            }
            ownerOnly(directory, true);
        } catch (IOException e) {
            throw new JournalException("Cannot create the task journal directory " + directory + ": " + e
                    + ". Give journalDirectory a directory the worker can create and write to", e);
        }
    }

    /** Makes the file or directory readable by its owner only, or refuses: it holds (or will hold) bearer tokens. */
    private void ownerOnly(Path path, boolean isDirectory) throws JournalException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            LOG.debug("Task journal {}: the file system has no POSIX permissions; make sure only the worker's user can"
                    + " read it", path);
            return;
        }
        Set<PosixFilePermission> wanted = isDirectory ? OWNER_DIRECTORY : OWNER_FILE;
        try {
            Set<PosixFilePermission> actual = view.readAttributes().permissions();
            if (!actual.equals(wanted)) {
                view.setPermissions(wanted);
                LOG.warn("Task journal {} was {}: made {} (it holds task tokens, which are credentials)", path,
                        PosixFilePermissions.toString(actual), PosixFilePermissions.toString(wanted));
            }
        } catch (IOException e) {
            String hint = e instanceof AccessDeniedException || e instanceof NoSuchFileException ? "" : " (" + e + ")";
            throw new JournalException("Task journal " + path + " must be readable by its owner only (chmod "
                    + (isDirectory ? "700" : "600") + "), and its permissions cannot be changed by this user" + hint
                    + ": make the worker's user own it, or give journalDirectory another directory", e);
        }
    }

    /** The directory with links resolved: one key per lock file, however the directory was named. */
    private Path realDirectory() throws JournalException {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            throw new JournalException("Cannot resolve the task journal directory " + directory + ": " + e, e);
        }
    }

    private boolean posix() {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }

    FileAttribute<?>[] fileAttributes() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    ChannelOpener opener() {
        return opener;
    }

    int compactionMinimum() {
        return compactionMinimum;
    }

    /** Fsyncs the directory, so that a rename in it is durable (Linux, macOS; a no-op where it cannot be done). */
    void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Task journal directory {} cannot be fsynced here: {}", directory, e.toString());
        }
    }

    void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code ACTIVITY.WORKER.DIGEST}: readable enough to find, unique by the digest, safe on every file system. */
    static String baseName(String activityArn, String workerName) {
        String activity = activityArn.substring(activityArn.lastIndexOf(':') + 1);
        String digest = Tokens.sha256(activityArn + "\n" + workerName).substring(0, 16);
        return safe(activity) + "." + safe(workerName) + "." + digest;
    }

    private static String safe(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 40; i++) {
            char c = text.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' ? c : '_');
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is needed");
        }
    }

    @Override
    public String toString() {
        return "FileTaskJournal[" + directory + "]";
    }
}
