package io.github.sfnfail.camel.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's workers: {@link SoakWorker} processes, each a camel-main JVM of its own, in slots that are restarted as a
 * deployment restarts pods. A SIGTERM gives a worker Kubernetes' grace before a SIGKILL follows (as the kubelet does),
 * and its replacement starts at once beside it, as a rolling update's new pod does. A SIGKILL ends it at once, and its
 * replacement starts on what it left behind (its worker name and journal folder), as a crashed pod's container is
 * restarted on its volume. Each process's output goes to a log of its own; its {@code SOAK-STATS} lines are kept.
 */
final class WorkerFleet implements AutoCloseable {

    private static final String ARN = "arn:aws:states:us-east-1:123456789012:activity:soak";
    private static final Pattern STATS = Pattern.compile(
            "SOAK-STATS worker=(\\S+) uptimeMs=(\\d+) heapUsed=(\\d+) live=(true|false) threads=(\\d+) inflight=(\\d+) cpuMs=(-?\\d+) taken=(\\d+)");

    /** One line of a worker's figures. */
    record Stats(long at, long uptimeMillis, long heapUsed, boolean live, int threads, int inflight, long cpuMillis,
            long taken) {
    }

    /** How a worker run ended. */
    enum End {
        RUNNING, SIGTERM, SIGTERM_PAST_GRACE, SIGKILL, STOPPED_AT_END, EXITED_BY_ITSELF
    }

    /** One process: one start of a slot. */
    static final class Run {
        final int slot;
        final int incarnation;
        /** the process's own name, which the stand-in sees in its User-Agent */
        final String name;
        /** the name it polls under: a killed worker's replacement polls under the killed one's, on its journal */
        final String workerName;
        final Path journal;
        final Path log;
        final long startedAt;
        final Process process;
        final List<Stats> stats = new CopyOnWriteArrayList<>();
        volatile End end = End.RUNNING;
        volatile long signalledAt;
        volatile long endedAt;
        volatile int exitCode = -1;

        Run(int slot, int incarnation, String name, String workerName, Path journal, Path log, long startedAt,
                Process process) {
            this.slot = slot;
            this.incarnation = incarnation;
            this.name = name;
            this.workerName = workerName;
            this.journal = journal;
            this.log = log;
            this.startedAt = startedAt;
            this.process = process;
        }

        Stats lastStats() {
            return stats.isEmpty() ? null : stats.get(stats.size() - 1);
        }

        Stats lastLiveStats() {
            for (int i = stats.size() - 1; i >= 0; i--) {
                if (stats.get(i).live()) {
                    return stats.get(i);
                }
            }
            return null;
        }
    }

    /** A restart done: when, of which run, how, and the run that replaced it. */
    record Restart(long at, boolean kill, Run old, Run replacement, int inHandAtKill) {
    }

    private final SoakSettings settings;
    private final ActivityServiceStandIn standIn;
    private final Path dir;
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final List<Restart> restarts = new CopyOnWriteArrayList<>();
    private final Run[] current;
    private int restartCount;
    private int nextSlot;

    WorkerFleet(SoakSettings settings, ActivityServiceStandIn standIn, Path dir) {
        this.settings = settings;
        this.standIn = standIn;
        this.dir = dir;
        this.current = new Run[settings.workers()];
    }

    /** Starts every slot's first worker. */
    synchronized void startAll() throws IOException {
        for (int slot = 0; slot < current.length; slot++) {
            current[slot] = start(slot, 1, null, journalOf(slot, 1));
        }
    }

    List<Run> current() {
        synchronized (this) {
            return List.of(current);
        }
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    /** A run that ended by itself (a start that failed, a crash): the soak cannot go on without it. */
    synchronized Run exitedByItself() {
        for (Run run : current) {
            if (run.end == End.RUNNING && !run.process.isAlive()) {
                run.end = End.EXITED_BY_ITSELF;
                return run;
            }
        }
        return null;
    }

    /**
     * The next restart on the schedule: the next slot in turn (not the first when {@code keepOne}), SIGKILL or SIGTERM
     * by {@link SoakSettings#isKill(int)}. Returns once the replacement started (a SIGKILL's after the killed process
     * is gone); a SIGTERM's old worker ends in the background.
     */
    Restart restartNext() throws IOException, InterruptedException {
        int slot;
        boolean kill;
        Run old;
        synchronized (this) {
            int first = settings.keepOne() && current.length > 1 ? 1 : 0;
            slot = first + nextSlot++ % (current.length - first);
            kill = settings.isKill(restartCount++);
            old = current[slot];
        }
        long at = System.nanoTime();
        Run replacement;
        int inHandAtKill = 0;
        if (kill) {
            old.signalledAt = at;
            old.end = End.SIGKILL;
            // counted first, so that nothing the stand-in hands out as the process dies escapes the count
            inHandAtKill = standIn.killed(old.name, at);
            old.process.destroyForcibly();
            old.process.waitFor(30, TimeUnit.SECONDS);
            if (settings.journal()) {
                // what the killed process wrote is in the file (a kill loses no write already made, only a power cut
                // would lose what was not synced): read before the replacement reads and rewrites it
                standIn.journaledAtKill(old.name, KilledJournal.liveTokens(old.journal));
            }
            // restarted in place, under the same worker name, on what the killed one left behind
            replacement = start(slot, old.incarnation + 1, old.workerName, old.journal);
        } else {
            old.signalledAt = at;
            old.end = End.SIGTERM;
            old.process.destroy();
            daemon("soak-grace-" + old.name, () -> graceThenKill(old));
            // a new pod: a name and a journal of its own
            replacement = start(slot, old.incarnation + 1, null, journalOf(slot, old.incarnation + 1));
        }
        synchronized (this) {
            current[slot] = replacement;
        }
        Restart restart = new Restart(at, kill, old, replacement, inHandAtKill);
        restarts.add(restart);
        return restart;
    }

    /** SIGTERM to every worker still running, as at the end of the run, and waits for them within the grace. */
    void stopAll() throws InterruptedException {
        List<Run> running = runs.stream().filter(run -> run.process.isAlive()).toList();
        long at = System.nanoTime();
        for (Run run : running) {
            if (run.end == End.RUNNING) {
                run.end = End.STOPPED_AT_END;
                run.signalledAt = at;
            }
            run.process.destroy();
        }
        for (Run run : running) {
            long left = settings.grace() * 1_000_000_000L - (System.nanoTime() - at);
            if (!run.process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                run.end = End.SIGTERM_PAST_GRACE;
                standIn.killed(run.name, System.nanoTime());
                run.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        for (Run run : runs) {
            if (run.process.isAlive()) {
                run.process.destroyForcibly();
            }
        }
    }

    private void graceThenKill(Run run) {
        try {
            if (!run.process.waitFor(settings.grace(), TimeUnit.SECONDS)) {
                run.end = End.SIGTERM_PAST_GRACE;
                standIn.killed(run.name, System.nanoTime());
                run.process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path journalOf(int slot, int incarnation) {
        return dir.resolve("journal").resolve("w" + slot + "." + incarnation);
    }

    /** Starts a process of the slot, polling under {@code workerName}, or a name of its own when null. */
    private Run start(int slot, int incarnation, String workerName, Path journal) throws IOException {
        String name = "soak-w" + slot + "." + incarnation;
        String pollsAs = workerName == null ? name : workerName;
        Properties properties = new Properties();
        properties.setProperty("arn", ARN);
        properties.setProperty("url", standIn.url());
        properties.setProperty("process", name);
        properties.setProperty("worker", pollsAs);
        properties.setProperty("minPollers", Integer.toString(settings.minPollers()));
        properties.setProperty("maxPollers", Integer.toString(settings.maxPollers()));
        properties.setProperty("maxTasks", Integer.toString(settings.maxTasks()));
        properties.setProperty("heartbeatPeriod", settings.heartbeatPeriod().toMillis() + "ms");
        properties.setProperty("statsEveryMs", Long.toString(settings.statsEvery().toMillis()));
        properties.setProperty("liveHeapEveryMs", Long.toString(settings.liveHeapEvery().toMillis()));
        if (settings.journal()) {
            Files.createDirectories(journal);
            properties.setProperty("journalDirectory", journal.toAbsolutePath().toString());
        }
        Path file = dir.resolve(name + ".properties");
        try (var writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "soak worker " + name);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + settings.workerHeap());
        command.add("-XX:+UseSerialGC");
        command.add("-Daws.disableEc2Metadata=true");
        command.add("-Dlogback.configurationFile=src/test/resources/logback-examples.xml");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(SoakWorker.class.getName());
        command.add(file.toAbsolutePath().toString());
        Path log = dir.resolve(name + ".log");
        // to a file, not a pipe: Process.destroy() closes the pipe, and a stopping worker's last lines would be lost
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        // nothing may leave the machine: no instance metadata, static keys, a fixed region
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.put("AWS_ACCESS_KEY_ID", "AKIASOAKWORKER");
        environment.put("AWS_SECRET_ACCESS_KEY", "soak-secret");
        environment.put("AWS_REGION", "us-east-1");
        // how the stand-in tells this process from another polling under the same worker name
        environment.put("AWS_SDK_UA_APP_ID", name);
        environment.remove("AWS_PROFILE");
        Process process = builder.start();
        Run run = new Run(slot, incarnation, name, pollsAs, journal, log, System.nanoTime(), process);
        runs.add(run);
        daemon("soak-log-" + name, () -> followLog(run));
        return run;
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows the worker's log for its stats lines until the process has ended and the log is read to its end. */
    private static void followLog(Run run) {
        try (RandomAccessFile log = new RandomAccessFile(run.log.toFile(), "r")) {
            StringBuilder line = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (true) {
                boolean ended = !run.process.isAlive();
                int read;
                while ((read = log.read(buffer)) > 0) {
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            stats(run, line);
                            line.setLength(0);
                        } else {
                            line.append((char) buffer[i]);
                        }
                    }
                }
                if (ended) {
                    break;
                }
                Thread.sleep(250);
            }
            run.endedAt = System.nanoTime();
            run.exitCode = run.process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stats(Run run, CharSequence line) {
        Matcher stats = STATS.matcher(line);
        if (stats.find()) {
            long uptime = Long.parseLong(stats.group(2));
            run.stats.add(new Stats(run.startedAt + uptime * 1_000_000, uptime, Long.parseLong(stats.group(3)),
                    Boolean.parseBoolean(stats.group(4)), Integer.parseInt(stats.group(5)),
                    Integer.parseInt(stats.group(6)), Long.parseLong(stats.group(7)),
                    Long.parseLong(stats.group(8))));
        }
    }
}
