package io.github.sfnfail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Step Functions' activity side on loopback, as AWS behaves and the emulators do not: GetActivityTask long-polls,
 * held open until a task is offered or the hold time passes (60 s on AWS), each task handed out once; answers
 * (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) recorded; polls can be made to fail with an AWS error.
 */
final class ActivityStandIn implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"taskToken\":\"([^\"]+)\"");

    /** An answer that reached the stand-in, and when (System.nanoTime()) it arrived and was replied to. */
    record Answer(String action, String token, String body, long arrivedNanos, long[] repliedNanos) {

        long repliedAt() {
            return repliedNanos[0];
        }
    }

    static {
        // the JDK's HTTP server writes headers and body apart: without this, Nagle's algorithm and delayed ACKs add
        // 40 ms to every answer, which a service would not
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, named("stand-in-http"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("stand-in-timer"));
    private final Deque<HttpExchange> waitingPolls = new ArrayDeque<>();
    private final Deque<String[]> tasks = new ArrayDeque<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    /** Polls that arrived and were not answered yet, and the most at once since the last reset. */
    private final java.util.concurrent.atomic.AtomicLong firstPollNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<HttpExchange> pollsArrived = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger pollsInProgress = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInProgress = new AtomicInteger();
    private volatile long holdMillis = 60_000;
    private volatile int failStatus;
    private volatile String failType;
    private volatile Fault pollFault;
    private final List<String> pollAttempts = new CopyOnWriteArrayList<>();
    private volatile String heartbeatAnswer;
    private final java.util.Map<String, Fault> answerFaults = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Fault> tokenFaults = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> closedTasks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Long> answerDelays = new java.util.concurrent.ConcurrentHashMap<>();
    /** For benchmarks: answers counted by action instead of recorded, and tasks made up for every poll. */
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> answerCounts =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean countOnly;
    private volatile String endlessInput;
    private final java.util.concurrent.atomic.AtomicLong madeUp = new java.util.concurrent.atomic.AtomicLong();

    /** The next answers of an action fail with this status and AWS error type, as many times as it says. */
    private record Fault(int status, String type, AtomicInteger times) {
    }

    /** A stand-in listening, for a test's field initialiser: a failure to bind is unchecked. */
    static ActivityStandIn started() {
        try {
            return new ActivityStandIn();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ActivityStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How long a poll is held without a task before it is answered empty. */
    void holdFor(long millis) {
        this.holdMillis = millis;
    }

    /** The next {@code times} polls fail with this status and AWS error type, as a blip of the service does. */
    void failNextPolls(int times, int status, String type) {
        pollFault = new Fault(status, type, new AtomicInteger(times));
    }

    /** The SDK's amz-sdk-request header of every poll that arrived ("attempt=1; max=4"), in order. */
    List<String> pollAttempts() {
        return List.copyOf(pollAttempts);
    }

    /** From now on polls fail with this status and AWS error type; null for none. */
    void failPolls(int status, String type) {
        this.failStatus = status;
        this.failType = type;
    }

    /** From now on heartbeats are answered with this AWS error type (TaskTimedOut), or accepted when null. */
    void answerHeartbeatsWith(String type) {
        this.heartbeatAnswer = type;
    }

    /**
     * The next {@code times} answers of this action (SendTaskSuccess, SendTaskFailure) fail with this status and AWS
     * error type; they are recorded like any other.
     */
    void failAnswers(String action, int times, int status, String type) {
        answerFaults.put(action, new Fault(status, type, new AtomicInteger(times)));
    }

    /** The next {@code times} answers about this task (success, failure, heartbeat) fail with this status and type. */
    void failAnswersAbout(String token, int times, int status, String type) {
        tokenFaults.put(token, new Fault(status, type, new AtomicInteger(times)));
    }

    /** From now on every answer about this task (success, failure, heartbeat) gets TaskTimedOut: it is closed. */
    void closeTask(String token) {
        closedTasks.add(token);
    }

    /** From now on the stand-in replies to this action (recorded on arrival) only after this many milliseconds. */
    void delayReplies(String action, long millis) {
        answerDelays.put(action, millis);
    }

    /**
     * For benchmarks: from now on answers are only counted ({@link #answerCount}), not recorded, so that millions of
     * them cost no memory.
     */
    void countAnswersOnly() {
        countOnly = true;
    }

    /** For benchmarks: from now on every poll gets a new task at once, with this input; null to stop. */
    void handOutEndlessTasks(String input) {
        endlessInput = input;
    }

    /** How many answers of this action arrived (counted in both modes). */
    long answerCount(String action) {
        java.util.concurrent.atomic.LongAdder count = answerCounts.get(action);
        return count == null ? 0 : count.sum();
    }

    /** A task for the next poll: handed to a poll waiting now, else to the next one to come. */
    void offer(String token, String input) {
        HttpExchange poll;
        synchronized (this) {
            poll = waitingPolls.pollFirst();
            if (poll == null) {
                tasks.addLast(new String[] {token, input});
                return;
            }
        }
        respond(poll, 200, task(token, input));
    }

    /** From now on every poll is answered at once without a task (held ones too), as an emulator does. */
    void answerPollsAtOnce() {
        holdMillis = 0;
        releasePolls();
    }

    /** Answers every poll held now without a task, as when their hold time passes. */
    void releasePolls() {
        List<HttpExchange> held;
        synchronized (this) {
            held = List.copyOf(waitingPolls);
            waitingPolls.clear();
        }
        held.forEach(poll -> respond(poll, 200, "{}"));
    }

    /** Answers every poll held now with this status and AWS error type. */
    void failHeldPolls(int status, String type) {
        List<HttpExchange> held;
        synchronized (this) {
            held = List.copyOf(waitingPolls);
            waitingPolls.clear();
        }
        held.forEach(poll -> respond(poll, status, "{\"__type\":\"" + type + "\",\"message\":\"stand-in fault\"}"));
    }

    synchronized int openPolls() {
        return waitingPolls.size();
    }

    /**
     * The most polls open at once (arrived and not answered yet) since the last call, which starts counting again from
     * now.
     */
    int mostPollsOpenSinceLastAsked() {
        return mostInProgress.getAndSet(pollsInProgress.get());
    }

    /** When the first poll arrived (System.nanoTime()), or 0 before any. */
    long firstPollNanos() {
        return firstPollNanos.get();
    }

    int polls() {
        return polls.get();
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    List<Answer> answers(String action) {
        return answers.stream().filter(a -> a.action().equals(action)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String action = target == null ? "?" : target.substring(target.indexOf('.') + 1);
        if (action.equals("GetActivityTask")) {
            firstPollNanos.compareAndSet(0, System.nanoTime());
            pollsArrived.add(exchange);
            mostInProgress.accumulateAndGet(pollsInProgress.incrementAndGet(), Math::max);
            poll(exchange);
            return;
        }
        Matcher token = TOKEN.matcher(body);
        String answered = token.find() ? token.group(1) : null;
        answerCounts.computeIfAbsent(action, a -> new java.util.concurrent.atomic.LongAdder()).increment();
        long[] replied = {0};
        if (!countOnly) {
            answers.add(new Answer(action, answered, body, System.nanoTime(), replied));
        }
        Long delay = answerDelays.get(action);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault = due(answered != null ? tokenFaults.get(answered) : null);
        if (fault == null) {
            fault = due(answerFaults.get(action));
        }
        if (answered != null && closedTasks.contains(answered)) {
            respond(exchange, 400, "{\"__type\":\"TaskTimedOut\",\"message\":\"Provided task does not exist anymore\"}");
        } else if (fault != null) {
            respond(exchange, fault.status(), "{\"__type\":\"" + fault.type() + "\",\"message\":\"stand-in fault\"}");
        } else if (action.equals("SendTaskHeartbeat") && heartbeatAnswer != null) {
            respond(exchange, 400, "{\"__type\":\"" + heartbeatAnswer + "\",\"message\":\"Task Timed Out\"}");
        } else {
            respond(exchange, 200, "{}");
        }
        replied[0] = System.nanoTime();
    }

    /** The fault if it has a time left, which this answer takes; else null. */
    private static Fault due(Fault fault) {
        return fault != null && fault.times().getAndDecrement() > 0 ? fault : null;
    }

    private void poll(HttpExchange exchange) {
        polls.incrementAndGet();
        pollAttempts.add(String.valueOf(exchange.getRequestHeaders().getFirst("amz-sdk-request")));
        Fault blip = due(pollFault);
        if (blip != null) {
            respond(exchange, blip.status(), "{\"__type\":\"" + blip.type() + "\",\"message\":\"stand-in fault\"}");
            return;
        }
        if (failType != null) {
            respond(exchange, failStatus, "{\"__type\":\"" + failType + "\",\"message\":\"stand-in fault\"}");
            return;
        }
        String endless = endlessInput;
        if (endless != null) {
            respond(exchange, 200, task("made-up-task-" + madeUp.incrementAndGet(), endless));
            return;
        }
        String[] task;
        synchronized (this) {
            task = tasks.pollFirst();
            if (task == null && holdMillis == 0) {
                respond(exchange, 200, "{}");
                return;
            }
            if (task == null) {
                waitingPolls.addLast(exchange);
                timers.schedule(() -> expire(exchange), holdMillis, TimeUnit.MILLISECONDS);
                return;
            }
        }
        respond(exchange, 200, task(task[0], task[1]));
    }

    private void expire(HttpExchange exchange) {
        synchronized (this) {
            if (!waitingPolls.remove(exchange)) {
                return;
            }
        }
        respond(exchange, 200, "{}");
    }

    private static String task(String token, String input) {
        return "{\"taskToken\":\"" + token + "\",\"input\":\"" + input.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private void respond(HttpExchange exchange, int status, String body) {
        if (pollsArrived.remove(exchange)) {
            pollsInProgress.decrementAndGet();
        }
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "activity-stand-in");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // the client went away
        } finally {
            exchange.close();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        timers.shutdownNow();
        threads.shutdownNow();
    }
}
