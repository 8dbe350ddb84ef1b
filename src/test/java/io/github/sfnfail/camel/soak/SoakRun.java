package io.github.sfnfail.camel.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.soak.ActivityServiceStandIn.Snapshot;
import io.github.sfnfail.camel.soak.SoakReport.Bounds;
import io.github.sfnfail.camel.soak.SoakReport.Check;
import io.github.sfnfail.camel.soak.WorkerFleet.Restart;
import io.github.sfnfail.camel.soak.WorkerFleet.Run;

/**
 * The soak (issue 33), on demand beside the benchmark: {@code mvn -B test-compile exec:exec@soak}, settings as
 * {@code -Dsoak.*} properties ({@link SoakSettings}). A fleet of camel-main workers, each its own JVM with heartbeats on,
 * works for an activity of {@link ActivityServiceStandIn}, which behaves like the service at scale (held polls, one
 * quota bucket per API for the whole fleet, 5xx, resets, slow replies, HeartbeatSeconds, a Retry on WorkerStopped and
 * WorkerLost). Tasks are offered at a steady rate while the workers are restarted on a schedule, SIGTERM with
 * Kubernetes' grace and now and then a SIGKILL. A progress line every minute, then the table, the bar's lines and a
 * timeline picture, all also written to a folder of the run under {@code soak.out} (default {@code target/soak}).
 * Exits 1 when a part of the bar fails.
 */
public final class SoakRun {

    /** What a run left: its folder, its report. */
    record Result(Path dir, SoakReport report, List<String> table, List<Check> checks) {
    }

    private final SoakSettings settings;
    private final Bounds bounds;
    private final PrintStream out;
    private long offersBegan;

    SoakRun(SoakSettings settings, Bounds bounds, PrintStream out) {
        this.settings = settings;
        this.bounds = bounds;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        SoakRun soak = new SoakRun(SoakSettings.fromSystemProperties(), Bounds.strict(), System.out);
        Result result = soak.run();
        System.exit(result.report().passed() ? 0 : 1);
    }

    Result run() throws Exception {
        Path dir = settings.out().resolve("soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        List<String> described = settings.describe();
        say("soak: " + String.join("\n      ", described));
        say("soak: writes to " + dir);
        long longestDrain = settings.hold().toNanos() + settings.longestTask().toNanos()
                            + TimeUnit.SECONDS.toNanos(2L * settings.heartbeatSeconds() + 30)
                            + settings.retries() * settings.retryInterval().toNanos();
        int seconds = (int) (settings.offerTime().toSeconds() + TimeUnit.NANOSECONDS.toSeconds(longestDrain)
                             + settings.grace() + 300);
        try (ActivityServiceStandIn standIn = new ActivityServiceStandIn(ActivityServiceStandIn.Config.of(settings),
                seconds);
                WorkerFleet fleet = new WorkerFleet(settings, standIn, dir)) {
            fleet.startAll();
            awaitFirstPolls(fleet, standIn);
            ScheduledExecutorService clock = Executors.newScheduledThreadPool(2,
                    ActivityServiceStandIn.named("soak-clock"));
            ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(
                    ActivityServiceStandIn.named("soak-restarts"));
            offersBegan = System.nanoTime();
            long offersEnd = offersBegan + settings.offerTime().toNanos();
            Offerer offerer = new Offerer(standIn, offersBegan, offersEnd);
            clock.scheduleAtFixedRate(offerer, 0, 10, TimeUnit.MILLISECONDS);
            long every = settings.progressEvery().toNanos();
            clock.scheduleAtFixedRate(() -> progress(standIn, fleet), every, every, TimeUnit.NANOSECONDS);
            long restartEvery = settings.restartEvery().toNanos();
            if (restartEvery > 0) {
                for (long at = restartEvery; at < settings.offerTime().toNanos(); at += restartEvery) {
                    restarter.schedule(() -> restart(fleet, standIn), at, TimeUnit.NANOSECONDS);
                }
            }
            String failure = null;
            while (System.nanoTime() < offersEnd && failure == null) {
                Thread.sleep(200);
                failure = failed(fleet);
            }
            restarter.shutdown();
            restarter.awaitTermination(60, TimeUnit.SECONDS);
            while (!offerer.done) {
                Thread.sleep(20);
            }
            long offersEnded = System.nanoTime();
            say(line(standIn, fleet, "offers end"));
            long drainUntil = System.nanoTime() + longestDrain;
            while (failure == null && standIn.snapshot().unfinished() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(200);
                failure = failed(fleet);
            }
            clock.shutdownNow();
            say(line(standIn, fleet, "drained"));
            Thread.sleep(settings.statsEvery().toMillis() + 1000); // a last stats line of each worker, after the work
            standIn.releasePolls();
            fleet.stopAll();
            if (failure != null) {
                say("soak: FAILED, " + failure);
            }
            long lastSecond = standIn.ledger().second(System.nanoTime());
            SoakReport report = new SoakReport(settings, standIn.ledger(), fleet, standIn, offersBegan, offersEnded,
                    bounds);
            List<String> table = report.table();
            List<Check> checks = new ArrayList<>(report.checks());
            if (failure != null) {
                checks.add(0, new Check(SoakReport.Status.FAIL, "the workers ran", failure));
            }
            Path picture = dir.resolve("timeline.png");
            SoakTimeline.write(picture, standIn.ledger(), fleet.restarts(), offersBegan, lastSecond,
                    String.format(Locale.ROOT, "soak: %d workers, %.0f tasks/s, %d restarts (%d SIGKILL), journal %s",
                            settings.workers(), settings.tasksPerSecond(), report.sigterms + report.kills,
                            report.kills, settings.journal() ? "on" : "off"));
            List<String> written = new ArrayList<>();
            written.add("# Soak " + dir.getFileName());
            written.add("");
            described.forEach(line -> written.add("- " + line));
            written.add("");
            written.addAll(table);
            written.add("");
            written.add("The bar:");
            written.add("");
            checks.forEach(check -> written.add("    " + check.line()));
            if (!report.unexplained.isEmpty()) {
                written.add("");
                written.add("Timed out or answered twice, and not allowed to:");
                written.add("");
                report.unexplained.forEach(line -> written.add("- " + line));
            }
            written.add("");
            written.add("![timeline](timeline.png)");
            Files.write(dir.resolve("report.md"), written);
            say("");
            table.forEach(this::say);
            say("");
            checks.forEach(check -> say(check.line()));
            report.unexplained.stream().limit(10).forEach(line -> say("  " + line));
            say("soak: table in " + dir.resolve("report.md") + ", timeline in " + picture);
            return new Result(dir, report, table, checks);
        }
    }

    private void awaitFirstPolls(WorkerFleet fleet, ActivityServiceStandIn standIn) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (fleet.current().stream().anyMatch(run -> standIn.firstPollOf(run.name) == 0)) {
            String failure = failed(fleet);
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("a worker did not poll within 120 s; see the logs in "
                                                + fleet.current().get(0).log.getParent());
            }
            Thread.sleep(100);
        }
        say("soak: " + fleet.current().size() + " workers polling");
    }

    /** A worker that ended by itself (a start refused, a crash) stops the run, with the end of its log. */
    private static String failed(WorkerFleet fleet) throws IOException {
        Run exited = fleet.exitedByItself();
        if (exited == null) {
            return null;
        }
        List<String> log = Files.exists(exited.log) ? Files.readAllLines(exited.log) : List.of();
        return exited.name + " ended by itself (exit " + exited.process.exitValue() + "); the end of " + exited.log
               + ":\n    " + String.join("\n    ", log.subList(Math.max(0, log.size() - 15), log.size()));
    }

    private void restart(WorkerFleet fleet, ActivityServiceStandIn standIn) {
        try {
            Restart restart = fleet.restartNext();
            say(String.format(Locale.ROOT, "[%s] %s %s, %s starts%s", clock(restart.at()),
                    restart.kill() ? "SIGKILL" : "SIGTERM", restart.old().name, restart.replacement().name,
                    restart.kill() ? " on its journal as " + restart.replacement().workerName + " ("
                                     + restart.inHandAtKill() + " task(s) were in its hand)" : ""));
        } catch (Exception e) {
            say("soak: the restart failed: " + e);
        }
    }

    private void progress(ActivityServiceStandIn standIn, WorkerFleet fleet) {
        say(line(standIn, fleet, null));
    }

    private String line(ActivityServiceStandIn standIn, WorkerFleet fleet, String what) {
        Snapshot s = standIn.snapshot();
        List<Restart> restarts = fleet.restarts();
        long kills = restarts.stream().filter(Restart::kill).count();
        double elapsed = Math.max(1e-9, (System.nanoTime() - offersBegan) / 1e9);
        return String.format(Locale.ROOT,
                "[%s]%s offered %,d (%.0f/s), final %,d, in hand %,d, waiting %,d, retry due %,d, polls held %,d | "
                + "timed out %,d, dead poll %,d | throttled %,d, faults %,d | restarts %d (SIGKILL %d)",
                clock(System.nanoTime()), what == null ? "" : " " + what + ":", s.offered(), s.offered() / elapsed,
                s.completed(), s.inHand(), s.waiting(), s.retryPending(), s.pollsHeld(), s.timeouts(),
                s.deadPoll(), s.throttled(), s.faults(), restarts.size(), kills);
    }

    private String clock(long nanos) {
        long seconds = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nanos - offersBegan));
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    /** Offers tasks evenly at the set rate, each with its work drawn from the durations. */
    private final class Offerer implements Runnable {

        private final ActivityServiceStandIn standIn;
        private final long from;
        private final long until;
        private final Random random = new Random(settings.seed());
        private long offered;
        volatile boolean done;

        Offerer(ActivityServiceStandIn standIn, long from, long until) {
            this.standIn = standIn;
            this.from = from;
            this.until = until;
        }

        @Override
        public void run() {
            if (done) {
                return;
            }
            long now = Math.min(System.nanoTime(), until);
            long due = (long) ((now - from) / 1e9 * settings.tasksPerSecond());
            while (offered < due) {
                long work = SoakSettings.DurationRange.drawMillis(settings.durations(), random);
                standIn.offer(work, random.nextDouble() < settings.routeFailures());
                offered++;
            }
            if (now >= until) {
                done = true;
            }
        }
    }
}
