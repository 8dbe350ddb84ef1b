package io.github.sfnfail.camel.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import io.github.sfnfail.camel.soak.SoakLedger.Answer;
import io.github.sfnfail.camel.soak.SoakLedger.Api;
import io.github.sfnfail.camel.soak.SoakLedger.Attempt;
import io.github.sfnfail.camel.soak.SoakLedger.Close;
import io.github.sfnfail.camel.soak.SoakLedger.Series;
import io.github.sfnfail.camel.soak.SoakLedger.Task;
import io.github.sfnfail.camel.soak.SoakLedger.TaskState;
import io.github.sfnfail.camel.soak.WorkerFleet.Restart;
import io.github.sfnfail.camel.soak.WorkerFleet.Run;
import io.github.sfnfail.camel.soak.WorkerFleet.Stats;

/**
 * What a soak run comes to: every task of the ledger counted once, in the table an operator reads, and the bar of
 * issue 33 checked, each part a line that passes or fails. The default run is held to the bar as written
 * ({@link Bounds#strict()}); the short soak of the test command to the same parts with room for a loaded machine
 * ({@link Bounds#wide()}).
 */
final class SoakReport {

    /** How a part of the bar came out; a NOTE is a figure the bar cannot judge in this run (the journal off, say). */
    enum Status {
        PASS, FAIL, NOTE
    }

    /** One part of the bar. */
    record Check(Status status, String name, String detail) {

        String line() {
            return String.format(Locale.ROOT, "%-4s %s: %s", status, name, detail);
        }
    }

    /**
     * The bar's numbers: answers outside restarts at least {@code answerRate} of the offered rate; the heap of the
     * worker that lives through the run grows at most by {@code heapFactor} and {@code heapSlackBytes} from the middle
     * of the run to its end.
     */
    record Bounds(double answerRate, double heapFactor, long heapSlackBytes) {

        static Bounds strict() {
            return new Bounds(0.9, 1.2, 8L << 20);
        }

        static Bounds wide() {
            return new Bounds(0.6, 2.0, 48L << 20);
        }
    }

    private final SoakSettings settings;
    private final SoakLedger ledger;
    private final List<Run> runs;
    private final List<Restart> restarts;
    private final long offersBegan;
    private final long offersEnded;
    private final Bounds bounds;
    private final Map<String, Long> firstPolls;
    private final Map<String, Long> killedAt;

    /** How long before a SIGKILL a task may have been handed and still not be in the killed worker's journal. */
    static final long UNRECORDED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    // the figures
    int offered;
    int succeeded;
    int routeFailed;
    int completedOnce;
    int answeredTwice;
    /** a second, different answer the stand-in refused as closed: WorkerLost for a task answered just before a kill */
    int otherAnswerRefusedAfterKill;
    /** a second, different answer refused as closed, with no kill to explain it */
    int otherAnswerRefusedUnexplained;
    int sentAgainAfterFault;
    int sentAgainUnprovoked;
    int lost;
    int timedOut;
    int timedOutDeadPollAfterKill;
    int timedOutDeadPollOther;
    int timedOutInHandAtKill;
    int timedOutOther;
    /** of the other timeouts: handed to a live poll whose client closed the connection as the task came */
    int timedOutClosedAsItCame;
    int stopped;
    int stoppedRetried;
    int workerLost;
    int workerLostRetried;
    int retriesExhausted;
    int otherFailures;
    int deadPoll;
    int deadPollAfterKill;
    int inHandAtKill;
    int inHandAtKillLostInTime;
    int inHandAtKillAnswered;
    /**
     * in hand at a SIGKILL with the journal on, but not in the killed worker's journal file: handed as the kill came,
     * within {@link #UNRECORDED_WINDOW_NANOS} of it, before the worker wrote its record (nothing could fail them)
     */
    int inHandAtKillUnrecorded;
    int timedOutInHandAtKillUnrecorded;
    /** how long before its kill the earliest of those was handed out */
    long unrecordedLongestBeforeKill;
    int overlappingAttempts;
    long slowestLostAfterStart;
    long[] latencies = new long[0];
    /** the tokens the bar does not allow to time out or to be answered twice, each told in a line, to search why */
    final List<String> unexplained = new ArrayList<>();
    int kills;
    int sigterms;
    int pastGrace;
    double answerRatio = Double.NaN;
    int answerSeconds;
    long answersOutside;
    long offeredOutside;

    SoakReport(SoakSettings settings, SoakLedger ledger, WorkerFleet fleet, ActivityServiceStandIn standIn,
            long offersBegan, long offersEnded, Bounds bounds) {
        this.settings = settings;
        this.ledger = ledger;
        this.runs = fleet.runs();
        this.restarts = fleet.restarts();
        this.offersBegan = offersBegan;
        this.offersEnded = offersEnded;
        this.bounds = bounds;
        this.firstPolls = new HashMap<>();
        this.killedAt = new HashMap<>();
        for (Run run : runs) {
            firstPolls.put(run.name, standIn.firstPollOf(run.name));
            killedAt.put(run.name, standIn.killedAt(run.name));
        }
        count();
    }

    SoakLedger ledger() {
        return ledger;
    }

    long firstPollOf(Run run) {
        return firstPolls.getOrDefault(run.name, 0L);
    }

    private void count() {
        Map<String, Run> replacementOfKilled = new HashMap<>();
        for (Restart restart : restarts) {
            if (restart.kill()) {
                kills++;
                replacementOfKilled.put(restart.old().name, restart.replacement());
            } else {
                sigterms++;
            }
        }
        pastGrace = (int) runs.stream().filter(run -> run.end == WorkerFleet.End.SIGTERM_PAST_GRACE).count();
        List<Long> finals = new ArrayList<>();
        for (Task task : ledger.tasks) {
            offered++;
            boolean twice = task.finalAnswers > 1;
            Attempt previous = null;
            for (Attempt attempt : task.attempts) {
                if (previous != null && (previous.isOpen() || attempt.handedAt < previous.closedAt)) {
                    overlappingAttempts++;
                }
                previous = attempt;
                int[] repeats = repeats(attempt, killedAt.getOrDefault(attempt.worker, 0L));
                if (repeats[0] > 0) {
                    twice = true;
                    unexplained.add("answered twice: " + describe(attempt));
                }
                otherAnswerRefusedAfterKill += repeats[3];
                if (repeats[4] > 0) {
                    otherAnswerRefusedUnexplained += repeats[4];
                    unexplained.add("a second, different answer, refused as closed: " + describe(attempt));
                }
                sentAgainAfterFault += repeats[1];
                if (repeats[2] > 0) {
                    sentAgainUnprovoked += repeats[2];
                    unexplained.add("sent again, no fault of the stand-in's before: " + describe(attempt));
                }
                boolean killedBefore = killedAt.getOrDefault(attempt.worker, 0L) != 0
                                       && killedAt.get(attempt.worker) <= attempt.handedAt;
                if (attempt.handOut.isDeadPoll()) {
                    deadPoll++;
                    if (killedBefore) {
                        deadPollAfterKill++;
                    }
                }
                if (attempt.inHandAtKill != 0) {
                    inHandAtKill++;
                    if (attempt.close == Close.FAILED && ActivityServiceStandIn.WORKER_LOST.equals(attempt.error)) {
                        Run next = replacementOfKilled.get(attempt.worker);
                        long firstPoll = next == null ? 0 : firstPollOf(next);
                        long after = firstPoll == 0 ? Long.MAX_VALUE : attempt.closedAt - firstPoll;
                        slowestLostAfterStart = Math.max(slowestLostAfterStart, Math.max(0, after));
                        if (after <= settings.lostWithin().toNanos()) {
                            inHandAtKillLostInTime++;
                        }
                    } else if (attempt.close == Close.SUCCEEDED || attempt.close == Close.FAILED) {
                        inHandAtKillAnswered++; // its answer was on its way as the kill came
                    } else if (unrecordedAtKill(attempt)) {
                        inHandAtKillUnrecorded++;
                        unrecordedLongestBeforeKill = Math.max(unrecordedLongestBeforeKill,
                                attempt.inHandAtKill - attempt.handedAt);
                    }
                }
                if (attempt.close == Close.TIMED_OUT) {
                    timedOut++;
                    if (attempt.handOut.isDeadPoll()) {
                        if (killedBefore) {
                            timedOutDeadPollAfterKill++;
                        } else {
                            timedOutDeadPollOther++;
                        }
                    } else if (unrecordedAtKill(attempt)) {
                        timedOutInHandAtKillUnrecorded++;
                    } else if (attempt.inHandAtKill != 0) {
                        timedOutInHandAtKill++;
                    } else {
                        timedOutOther++;
                        SoakLedger.Conn conn = attempt.conn;
                        if (conn.closedAt != 0 && conn.requests == attempt.connRequestsAtHandOut
                            && conn.closedAt - attempt.handedAt < TimeUnit.SECONDS.toNanos(1)) {
                            timedOutClosedAsItCame++;
                        }
                    }
                    if ((!attempt.handOut.isDeadPoll() || !killedBefore) && !unrecordedAtKill(attempt)) {
                        if (attempt.inHandAtKill == 0 || settings.journal()) {
                            unexplained.add("timed out: " + describe(attempt));
                        }
                    }
                }
                if (attempt.close == Close.FAILED) {
                    boolean retried = attempt != task.lastAttempt();
                    if (SfnActivityConsumer.WORKER_STOPPED.equals(attempt.error)) {
                        stopped++;
                        stoppedRetried += retried ? 1 : 0;
                    } else if (ActivityServiceStandIn.WORKER_LOST.equals(attempt.error)) {
                        workerLost++;
                        workerLostRetried += retried ? 1 : 0;
                    } else if (!SoakWorker.ROUTE_ERROR.equals(attempt.error)) {
                        otherFailures++;
                    }
                }
            }
            switch (task.state) {
                case SUCCEEDED, FAILED -> {
                    if (task.state == TaskState.SUCCEEDED) {
                        succeeded++;
                    } else {
                        Attempt last = task.lastAttempt();
                        if (SoakWorker.ROUTE_ERROR.equals(last.error)) {
                            routeFailed++;
                        }
                    }
                    if (!twice) {
                        completedOnce++;
                    }
                    finals.add(task.finalAt - task.offeredAt);
                }
                case RETRIES_EXHAUSTED -> retriesExhausted++;
                case TIMED_OUT -> {
                }
                default -> lost++;
            }
            if (twice) {
                answeredTwice++;
            }
        }
        latencies = finals.stream().mapToLong(Long::longValue).sorted().toArray();
        countAnswerRate();
    }

    /**
     * Whether a task in hand at a SIGKILL was handed out as the kill came, too late for the killed worker to have
     * written its journal record: with the journal on, its token is not in the file the killed worker left, and it was
     * handed within {@link #UNRECORDED_WINDOW_NANOS} of the kill. Like a task handed to a dead poll, nothing on the
     * worker's side can fail it; one not in the file that was handed earlier is a record the worker failed to write.
     */
    private boolean unrecordedAtKill(Attempt attempt) {
        return settings.journal() && attempt.inHandAtKill != 0 && !attempt.journaledAtKill
               && attempt.inHandAtKill - attempt.handedAt <= UNRECORDED_WINDOW_NANOS;
    }

    private String describe(Attempt attempt) {
        Run run = runs.stream().filter(r -> r.name.equals(attempt.worker)).findFirst().orElse(null);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "task %d attempt %d (work %d ms%s) handed to %s at %.1f s (%s), %d heartbeat(s), the last at %.1f s, "
                + "%d refused; timed out at %.1f s",
                attempt.task.id, attempt.number, attempt.task.workMillis, attempt.task.routeFails ? ", fails" : "",
                attempt.worker, at(attempt.handedAt), attempt.handOut, attempt.heartbeats, at(attempt.lastBeat),
                attempt.refusedHeartbeats, at(attempt.closedAt)));
        SoakLedger.Conn conn = attempt.conn;
        line.append(String.format(Locale.ROOT, "; its poll (%s) arrived %d ms before, request %d of its connection %d "
                                               + "(opened %d ms before), which carried %d request(s) after the poll "
                                               + "(%d while a poll of it was held) and %s",
                attempt.pollSdkRequest, TimeUnit.NANOSECONDS.toMillis(attempt.handedAt - attempt.pollArrivedAt),
                attempt.connRequestsAtHandOut,
                conn.id, TimeUnit.NANOSECONDS.toMillis(attempt.handedAt - conn.openedAt),
                conn.requests - attempt.connRequestsAtHandOut, conn.requestsWhileHeld,
                conn.closedAt == 0 ? "stayed open" : String.format(Locale.ROOT, "closed %d ms after the hand-out, %s",
                        TimeUnit.NANOSECONDS.toMillis(conn.closedAt - attempt.handedAt), conn.closedHow)));
        if (run != null) {
            line.append(String.format(Locale.ROOT, "; its worker %s%s", run.end.name().toLowerCase(Locale.ROOT),
                    run.signalledAt == 0 ? "" : String.format(Locale.ROOT, " at %.1f s", at(run.signalledAt))));
        }
        for (Answer answer : attempt.answers) {
            line.append(String.format(Locale.ROOT, "; %s%s at %.1f s %s", answer.api().action,
                    answer.error() == null ? "" : " " + answer.error(), at(answer.at()),
                    answer.accepted() ? "accepted" : "refused"));
        }
        return line.toString();
    }

    /** Seconds since the first offer. */
    private double at(long nanos) {
        return (nanos - offersBegan) / 1e9;
    }

    /**
     * The answers to one token beyond the first: {@code [0]} a different answer (another API or error), which is a
     * second answer; {@code [1]} the same answer again after the stand-in lost or delayed the reply to the one before
     * (the sender then sends it again, and the second finds the task closed); {@code [2]} the same answer again with no
     * fault of the stand-in's before it (the sender gave up an attempt that had landed).
     */
    /**
     * The answers of an attempt after its first: [0] a different one the stand-in accepted (answered twice), [1] the
     * same sent again after a reply the stand-in lost or delayed, [2] the same sent again with no fault before it, [3] a
     * different one refused as closed that a kill explains (the killed worker's answer landed within a second of the
     * kill, but it was killed before it learnt so and took the task out of its journal: its replacement fails it
     * WorkerLost), [4] a different one refused as closed otherwise.
     *
     * @param killedAt when the attempt's worker was killed, or 0
     */
    private static int[] repeats(Attempt attempt, long killedAt) {
        int[] repeats = new int[5];
        List<Answer> answers = attempt.answers;
        for (int i = 1; i < answers.size(); i++) {
            Answer before = answers.get(i - 1);
            Answer answer = answers.get(i);
            if (!answers.get(0).sameAs(answer) && !answer.accepted()) {
                // the first answer landed as the kill came (the signal's time is taken just before it, and a
                // request on its way lands after it), the WorkerLost after it
                boolean lostByTheKill = killedAt != 0 && answers.get(0).at() > killedAt - UNRECORDED_WINDOW_NANOS
                                        && answer.at() > killedAt
                                        && ActivityServiceStandIn.WORKER_LOST.equals(answer.error());
                repeats[lostByTheKill ? 3 : 4]++;
            } else if (!answers.get(0).sameAs(answer)) {
                repeats[0]++;
            } else if (before.replyLost() || before.replyLate()) {
                repeats[1]++;
            } else {
                repeats[2]++;
            }
        }
        return repeats;
    }

    /** Final answers against offers, per second of the offers, leaving out the warm-up and each restart's spell. */
    private void countAnswerRate() {
        int from = ledger.second(offersBegan + settings.warmup().toNanos());
        int to = ledger.second(offersEnded);
        boolean[] out = new boolean[ledger.seconds];
        for (Restart restart : restarts) {
            long firstPoll = firstPollOf(restart.replacement());
            long end = (firstPoll == 0 ? offersEnded : Math.max(firstPoll, restart.at())) + settings.settle().toNanos();
            for (int s = ledger.second(restart.at()); s <= ledger.second(end); s++) {
                out[s] = true;
            }
        }
        for (int s = from; s < to; s++) {
            if (!out[s]) {
                answerSeconds++;
                answersOutside += ledger.at(Series.COMPLETED, s);
                offeredOutside += ledger.at(Series.OFFERED, s);
            }
        }
        if (offeredOutside > 0) {
            answerRatio = (double) answersOutside / offeredOutside;
        }
    }

    Run keptWorker() {
        return runs.stream().filter(run -> run.incarnation == 1 && run.slot == 0).findFirst().orElse(null);
    }

    /** The live heap (after a full collection) of the kept worker in the middle third and the last third of the offers. */
    long[][] heapThirds() {
        Run kept = keptWorker();
        if (kept == null || kept.end == WorkerFleet.End.SIGKILL) {
            return null;
        }
        long third = (offersEnded - offersBegan) / 3;
        List<Long> middle = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        for (Stats stats : kept.stats) {
            if (!stats.live()) {
                continue;
            }
            if (stats.at() >= offersBegan + third && stats.at() < offersBegan + 2 * third) {
                middle.add(stats.heapUsed());
            } else if (stats.at() >= offersBegan + 2 * third && stats.at() <= offersEnded) {
                last.add(stats.heapUsed());
            }
        }
        return new long[][] {middle.stream().mapToLong(Long::longValue).toArray(),
                             last.stream().mapToLong(Long::longValue).toArray()};
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(check(lost == 0, "nothing lost", lost + " task(s) never answered by the end"));
        checks.add(check(answeredTwice == 0 && otherAnswerRefusedUnexplained == 0, "nothing answered twice",
                answeredTwice + " task(s) answered twice; " + otherAnswerRefusedUnexplained + " second, different "
                + "answer(s) refused as closed with no kill to explain them"));
        checks.add(check(overlappingAttempts == 0 && ledger.outputMismatches == 0 && ledger.unknownTokens == 0,
                "each task to one poll at a time, each answer its task's own",
                overlappingAttempts + " task(s) handed out while a token of theirs was open, " + ledger.outputMismatches
                + " output(s) of another task, " + ledger.unknownTokens + " unknown token(s)"));
        int notAllowed = timedOutOther + timedOutDeadPollOther + (settings.journal() ? timedOutInHandAtKill : 0);
        checks.add(check(notAllowed == 0,
                "no task timed out but those handed to a dead poll after a SIGKILL"
                + (settings.journal() ? " (or as it came, before the journal had them)"
                : " (and, with the journal off, those in hand at a SIGKILL)"),
                String.format(Locale.ROOT, "%d timed out: %d handed to a dead poll after a SIGKILL, %d in hand at a "
                                           + "SIGKILL, %d handed as a SIGKILL came and not yet in its journal, %d "
                                           + "handed to a dead poll otherwise, %d other",
                        timedOut, timedOutDeadPollAfterKill, timedOutInHandAtKill, timedOutInHandAtKillUnrecorded,
                        timedOutDeadPollOther, timedOutOther)));
        if (settings.journal()) {
            checks.add(check(inHandAtKillLostInTime + inHandAtKillAnswered + inHandAtKillUnrecorded == inHandAtKill,
                    "every task in hand at a SIGKILL failed WorkerLost and retried within "
                    + SoakSettings.seconds(settings.lostWithin()) + " of the next start",
                    String.format(Locale.ROOT, "%d of %d (%d answered as the kill came, %d handed at most %d ms before "
                                               + "it and not yet in its journal); slowest %.1f s after the next "
                                               + "start's first poll",
                            inHandAtKillLostInTime, inHandAtKill, inHandAtKillAnswered, inHandAtKillUnrecorded,
                            TimeUnit.NANOSECONDS.toMillis(unrecordedLongestBeforeKill),
                            slowestLostAfterStart == Long.MAX_VALUE ? Double.NaN : slowestLostAfterStart / 1e9)));
        } else {
            checks.add(new Check(Status.NOTE, "tasks in hand at a SIGKILL",
                    String.format(Locale.ROOT, "journal off: %d of %d timed out on HeartbeatSeconds (%d s), counted "
                                               + "apart; with the journal they must be failed WorkerLost and retried "
                                               + "within %s of the next start",
                            timedOutInHandAtKill, inHandAtKill - inHandAtKillAnswered, settings.heartbeatSeconds(),
                            SoakSettings.seconds(settings.lostWithin()))));
        }
        if (Double.isNaN(answerRatio)) {
            checks.add(new Check(Status.NOTE, "answers at the offered rate outside restarts",
                    "no second of the offers is outside a restart's spell"));
        } else {
            checks.add(check(answerRatio >= bounds.answerRate(),
                    String.format(Locale.ROOT, "answers at >= %.2f of the offered rate outside restarts",
                            bounds.answerRate()),
                    String.format(Locale.ROOT, "%.3f (%,d answers for %,d offered over %d s)", answerRatio,
                            answersOutside, offeredOutside, answerSeconds)));
        }
        long[][] heap = heapThirds();
        if (heap == null || heap[0].length < 2 || heap[1].length < 2) {
            checks.add(new Check(Status.NOTE, "the heap flat over the run",
                    "too few live heap samples of a worker that lived through the run"));
        } else {
            long middle = median(heap[0]);
            long last = median(heap[1]);
            long allowed = Math.round(middle * bounds.heapFactor()) + bounds.heapSlackBytes();
            checks.add(check(last <= allowed, "the heap flat over the run",
                    String.format(Locale.ROOT, "%s: live heap %.1f MB in the middle third, %.1f MB in the last "
                                               + "(at most %.1f MB; %d and %d samples)",
                            keptWorker().name, mb(middle), mb(last), mb(allowed), heap[0].length, heap[1].length)));
        }
        return checks;
    }

    boolean passed() {
        return checks().stream().noneMatch(check -> check.status() == Status.FAIL);
    }

    /** The table, as Markdown. */
    List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add("| figure | count |");
        lines.add("|---|---|");
        row(lines, "tasks offered", "%,d", offered);
        row(lines, "completed exactly once", "%,d (succeeded %,d, failed by the route %,d)", completedOnce, succeeded,
                routeFailed);
        row(lines, "answered twice (a second, different answer)", "%,d", answeredTwice);
        row(lines, "a second, different answer refused as closed", "%,d WorkerLost from the journal for a task whose "
                                                                   + "answer landed as its worker was killed, %,d "
                                                                   + "otherwise", otherAnswerRefusedAfterKill,
                otherAnswerRefusedUnexplained);
        row(lines, "the same answer sent again, refused as closed", "%,d after a reply the stand-in lost or delayed, "
                                                                   + "%,d with no fault before it",
                sentAgainAfterFault, sentAgainUnprovoked);
        row(lines, "lost (never answered by the end)", "%,d", lost);
        row(lines, "timed out on HeartbeatSeconds", "%,d: handed to a dead poll after a SIGKILL %,d, in hand at a "
                                                    + "SIGKILL %,d, handed as a SIGKILL came and not yet in its "
                                                    + "journal %,d, handed to a dead poll otherwise %,d, other %,d (of "
                                                    + "which %,d handed to a poll whose client closed its connection "
                                                    + "as the task came, no request after it)",
                timedOut, timedOutDeadPollAfterKill, timedOutInHandAtKill, timedOutInHandAtKillUnrecorded,
                timedOutDeadPollOther, timedOutOther, timedOutClosedAsItCame);
        row(lines, "failed WorkerStopped / retried", "%,d / %,d", stopped, stoppedRetried);
        row(lines, "failed WorkerLost / retried", "%,d / %,d", workerLost, workerLostRetried);
        row(lines, "Retry given up (" + settings.retries() + " retries)", "%,d", retriesExhausted);
        row(lines, "failed otherwise", "%,d", otherFailures);
        row(lines, "handed to a dead poll", "%,d (%,d after a SIGKILL)", deadPoll, deadPollAfterKill);
        row(lines, "in hand at a SIGKILL", "%,d (%,d answered as the kill came%s)", inHandAtKill, inHandAtKillAnswered,
                settings.journal() ? String.format(Locale.ROOT, ", %,d handed at most %d ms before it and not yet in "
                                                                + "its journal", inHandAtKillUnrecorded,
                        TimeUnit.NANOSECONDS.toMillis(unrecordedLongestBeforeKill)) : "");
        row(lines, "offer to final answer", "p50 %s, p99 %s, max %s", millis(percentile(0.50)),
                millis(percentile(0.99)), millis(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        row(lines, "restarts", "%d: %d SIGTERM (%d past the %d s grace), %d SIGKILL", sigterms + kills, sigterms,
                pastGrace, settings.grace(), kills);
        long[] calls = ledger.requests;
        long[] throttled = ledger.throttled;
        List<String> perApi = new ArrayList<>();
        for (Api api : Api.values()) {
            perApi.add(String.format(Locale.ROOT, "%s %,d (%,d throttled)", api.action, calls[api.ordinal()],
                    throttled[api.ordinal()]));
        }
        row(lines, "calls", "%s", String.join(", ", perApi));
        row(lines, "faults", "%,d 5xx, %,d resets before the call, %,d after it (reply lost), %,d slow replies",
                ledger.faults5xx, ledger.resetsBefore, ledger.resetsAfter, ledger.slowReplies);
        row(lines, "requests on a connection whose poll was held", "%,d", ledger.requestsWhileHeld);
        lines.add("");
        Map<String, Integer> handed = new HashMap<>();
        for (Task task : ledger.tasks) {
            for (Attempt attempt : task.attempts) {
                if (!attempt.handOut.isDeadPoll()) {
                    handed.merge(attempt.worker, 1, Integer::sum);
                }
            }
        }
        lines.add("| worker (polls as) | ended | lived | CPU | live heap at the end | heap | threads (most) | tasks handed / taken |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (Run run : runs) {
            Stats last = run.lastStats();
            Stats live = run.lastLiveStats();
            int most = run.stats.stream().mapToInt(Stats::threads).max().orElse(0);
            long lived = (run.endedAt == 0 ? System.nanoTime() : run.endedAt) - run.startedAt;
            lines.add(String.format(Locale.ROOT, "| %s | %s | %.0f s | %s | %s | %s | %s | %,d / %s |",
                    run.name.equals(run.workerName) ? run.name : run.name + " (" + run.workerName + ")",
                    run.end.name().toLowerCase(Locale.ROOT).replace('_', ' '), lived / 1e9,
                    last == null ? "-" : String.format(Locale.ROOT, "%.1f s", last.cpuMillis() / 1000.0),
                    live == null ? "-" : String.format(Locale.ROOT, "%.1f MB", mb(live.heapUsed())),
                    last == null ? "-" : String.format(Locale.ROOT, "%.1f MB", mb(last.heapUsed())),
                    last == null ? "-" : last.threads() + " (" + most + ")", handed.getOrDefault(run.name, 0),
                    last == null ? "-" : String.format(Locale.ROOT, "%,d", last.taken())));
        }
        return lines;
    }

    private static void row(List<String> lines, String name, String format, Object... values) {
        lines.add("| " + name + " | " + String.format(Locale.ROOT, format, values) + " |");
    }

    private long percentile(double p) {
        if (latencies.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * latencies.length) - 1;
        return latencies[Math.max(0, Math.min(latencies.length - 1, index))];
    }

    private static String millis(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static Check check(boolean pass, String name, String detail) {
        return new Check(pass ? Status.PASS : Status.FAIL, name, detail);
    }

    Duration p99() {
        return Duration.ofNanos(percentile(0.99));
    }
}
