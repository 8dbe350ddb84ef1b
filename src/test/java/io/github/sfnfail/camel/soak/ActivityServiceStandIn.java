package io.github.sfnfail.camel.soak;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sfnfail.camel.activity.SfnActivityConsumer;
import io.github.sfnfail.camel.soak.SoakLedger.Answer;
import io.github.sfnfail.camel.soak.SoakLedger.Api;
import io.github.sfnfail.camel.soak.SoakLedger.Attempt;
import io.github.sfnfail.camel.soak.SoakLedger.Close;
import io.github.sfnfail.camel.soak.SoakLedger.Conn;
import io.github.sfnfail.camel.soak.SoakLedger.HandOut;
import io.github.sfnfail.camel.soak.SoakLedger.Series;
import io.github.sfnfail.camel.soak.SoakLedger.Task;
import io.github.sfnfail.camel.soak.SoakLedger.TaskState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Step Functions' activity service as a fleet of workers meets it, on 127.0.0.1, for the soak. Unlike
 * {@code ActivityStandIn} (one test's lifecycle, on the JDK's HTTP server), it behaves like the service at scale and
 * records every task:
 * <ul>
 * <li>every GetActivityTask is held up to the hold time (60 s like AWS) and answered empty then; each task goes to
 * exactly one poll: at once to the poll that has waited longest, else to the next one to arrive;</li>
 * <li>as the service does, it does not drop a poll whose client went away: a task is still handed to it, and counted
 * as handed to a dead poll when its connection was seen closed (Netty tells at once) or the write of its answer
 * failed; the task is then lost on the wire and times out;</li>
 * <li>HeartbeatSeconds is enforced per token (a token not beaten in time times out; a late answer gets 400
 * TaskTimedOut, as does any answer to a token already closed);</li>
 * <li>one token bucket per API, shared by every caller (a throttled call gets 400 ThrottlingException);</li>
 * <li>500/503 answers, connection resets (before a call is processed, or after it, the reply lost) and slow replies,
 * at set shares of the calls;</li>
 * <li>a Retry: a task failed with WorkerStopped or WorkerLost is offered again after an interval, with a new token,
 * up to a set count.</li>
 * </ul>
 * Held polls cost no thread: two event loops serve every connection, and one timer thread runs the heartbeat clock and
 * the retries.
 */
final class ActivityServiceStandIn implements AutoCloseable {

    /** The error the journal of issue 31 fails a killed worker's tasks with. */
    static final String WORKER_LOST = "AwsSfnActivity.WorkerLost";
    static final Set<String> RETRIED_ERRORS = Set.of(SfnActivityConsumer.WORKER_STOPPED, WORKER_LOST);

    /** Tokens shaped like AWS's (long, base64-like, with '/' and '+'): a fixed head, the task, the attempt, a nonce. */
    private static final String TOKEN_HEAD = "AQCEAAAAKgAAAAM";
    private static final String TOKEN_TAIL = "/" + "AAAAAAAAAAGxk9+Qh3nY5Xr0aLk2pPq8TvS4c1Zd/TaskToken+Shape".repeat(4);
    private static final String TASK_TIMED_OUT =
            "{\"__type\":\"TaskTimedOut\",\"message\":\"Task Timed Out: 'Provided task does not exist anymore'\"}";

    /** What the stand-in does, taken from the soak's settings. */
    record Config(long holdMillis, int heartbeatSeconds, int bucket, double refillPerSecond, double errors5xx,
            double resets, double slow, long slowByMillis, int retries, long retryIntervalMillis) {

        static Config of(SoakSettings settings) {
            return new Config(settings.hold().toMillis(), settings.heartbeatSeconds(), settings.bucket(),
                    settings.refillPerSecond(), settings.errors5xx(), settings.resets(), settings.slow(),
                    settings.slowBy().toMillis(), settings.retries(), settings.retryInterval().toMillis());
        }
    }

    /** The figures a progress line shows. */
    record Snapshot(int offered, int completed, int inHand, int waiting, int retryPending, int pollsHeld,
            long timeouts, long deadPoll, long throttled, long faults, long requests, int unfinished) {
    }

    /** A GetActivityTask being held. */
    private static final class Poll {
        final Channel channel;
        final boolean keepAlive;
        final String worker;
        final long arrivedAt;
        final Conn conn;
        ScheduledFuture<?> expiry;

        Poll(Channel channel, boolean keepAlive, String worker, long arrivedAt, Conn conn) {
            this.channel = channel;
            this.keepAlive = keepAlive;
            this.worker = worker;
            this.arrivedAt = arrivedAt;
            this.conn = conn;
        }
    }

    private record Reply(int status, String body) {
        static final Reply OK = new Reply(200, "{}");
    }

    private final Config config;
    private final long heartbeatNanos;
    private final SoakLedger ledger;
    private final TokenBucket[] buckets = new TokenBucket[Api.values().length];
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, named("soak-stand-in-accept"));
    private final EventLoopGroup loops = new NioEventLoopGroup(2, named("soak-stand-in-io"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("soak-stand-in-clock"));
    private final Channel listening;
    private final AtomicLong connections = new AtomicLong();

    // guarded by this
    private final ArrayDeque<Poll> waitingPolls = new ArrayDeque<>();
    private final ArrayDeque<Task> waitingTasks = new ArrayDeque<>();
    private final Set<Attempt> open = new LinkedHashSet<>();
    private final Map<String, Long> lastPollAt = new HashMap<>();
    private final Map<String, Long> firstPollAt = new HashMap<>();
    private final Map<String, Long> killedAt = new HashMap<>();
    private boolean released;
    private int retryPending;
    private int completed;
    private int unfinished;
    private long timeouts;
    private long deadPoll;
    private long throttledCalls;
    private long faults;
    private long requests;

    ActivityServiceStandIn(Config config, int seconds) throws InterruptedException {
        this.config = config;
        this.heartbeatNanos = TimeUnit.SECONDS.toNanos(config.heartbeatSeconds());
        long now = System.nanoTime();
        this.ledger = new SoakLedger(now, seconds);
        for (Api api : Api.values()) {
            buckets[api.ordinal()] = new TokenBucket(config.bucket(), config.refillPerSecond(), now);
        }
        listening = new ServerBootstrap().group(acceptor, loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new Handler());
                    }
                })
                .bind(loopback(), 0).sync().channel();
        timers.scheduleAtFixedRate(this::enforceHeartbeats, 100, 100, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) listening.localAddress()).getPort();
    }

    SoakLedger ledger() {
        return ledger;
    }

    /** Offers a new task of the given work, as a state machine entering the Task state does. */
    void offer(long workMillis, boolean routeFails) {
        long now = System.nanoTime();
        Task task;
        synchronized (this) {
            task = new Task(ledger.tasks.size(), now, workMillis, routeFails);
            ledger.tasks.add(task);
            unfinished++;
        }
        ledger.count(Series.OFFERED, now);
        handToAPoll(task);
    }

    /** When the last poll of this worker name arrived (System.nanoTime()), or 0. */
    synchronized long lastPollOf(String worker) {
        return lastPollAt.getOrDefault(worker, 0L);
    }

    /** When the first poll of this worker name arrived (System.nanoTime()), or 0. */
    synchronized long firstPollOf(String worker) {
        return firstPollAt.getOrDefault(worker, 0L);
    }

    /**
     * The worker of this name was killed (SIGKILL) at {@code now}: every token it holds is marked "in hand at a
     * SIGKILL", and a task handed to one of its polls from now on is handed to a dead poll. The service knows none of
     * this; only the soak's count does.
     */
    synchronized int killed(String worker, long now) {
        killedAt.putIfAbsent(worker, now);
        int inHand = 0;
        for (Attempt attempt : open) {
            if (attempt.worker.equals(worker) && attempt.handOut == HandOut.WRITTEN && attempt.inHandAtKill == 0) {
                attempt.inHandAtKill = now;
                inHand++;
            }
        }
        return inHand;
    }

    /**
     * The killed worker of this name left these tokens in its journal: those of its tasks still open that were in hand
     * at the kill are marked (the others were answered as it came).
     */
    synchronized void journaledAtKill(String worker, java.util.Set<String> tokens) {
        for (Attempt attempt : open) {
            if (attempt.worker.equals(worker) && attempt.inHandAtKill != 0 && tokens.contains(token(attempt))) {
                attempt.journaledAtKill = true;
            }
        }
    }

    /** When the worker of this name was killed (System.nanoTime()), or 0. */
    synchronized long killedAt(String worker) {
        return killedAt.getOrDefault(worker, 0L);
    }

    /**
     * Answers every held poll empty at once, and every poll from now on, as the end of the run: the workers being
     * stopped need not wait out the hold. Only once nothing is offered any more.
     */
    void releasePolls() {
        List<Poll> held;
        synchronized (this) {
            released = true;
            held = new ArrayList<>(waitingPolls);
            waitingPolls.clear();
            held.forEach(poll -> poll.conn.heldPolls--);
        }
        for (Poll poll : held) {
            poll.expiry.cancel(false);
            if (poll.channel.isActive()) {
                poll.channel.eventLoop().execute(() -> reply(poll.channel, poll.keepAlive, Reply.OK));
            }
        }
    }
    synchronized Snapshot snapshot() {
        int pollsHeld = (int) waitingPolls.stream().filter(poll -> poll.channel.isActive()).count();
        return new Snapshot(ledger.tasks.size(), completed, open.size(), waitingTasks.size(), retryPending, pollsHeld,
                timeouts, deadPoll, throttledCalls, faults, requests, unfinished);
    }

    @Override
    public void close() {
        listening.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timers.shutdownNow();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private Conn conn;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            conn = new Conn(connections.incrementAndGet(), System.nanoTime());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            conn.closedAt = System.nanoTime();
            if (conn.closedHow == null) {
                conn.closedHow = "by the client";
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (conn.closedHow == null) {
                conn.closedHow = "reset (" + cause.getMessage() + ")";
            }
            ctx.close(); // the client went away (a reset, a killed worker)
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            long now = System.nanoTime();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String target = request.headers().get("X-Amz-Target");
            Api api = target == null ? null : Api.of(target.substring(target.indexOf('.') + 1));
            if (api == null) {
                reply(ctx.channel(), keepAlive, new Reply(400, error("UnknownOperationException", target)));
                return;
            }
            String body = request.content().toString(StandardCharsets.UTF_8);
            conn.requests++;
            ledger.count(Series.REQUESTS, now);
            synchronized (ActivityServiceStandIn.this) {
                requests++;
                ledger.requests[api.ordinal()]++;
                if (conn.heldPolls > 0) {
                    conn.requestsWhileHeld++;
                    ledger.requestsWhileHeld++;
                }
            }
            if (!buckets[api.ordinal()].take(now)) {
                synchronized (ActivityServiceStandIn.this) {
                    throttledCalls++;
                    ledger.throttled[api.ordinal()]++;
                }
                ledger.count(Series.THROTTLED, now);
                reply(ctx.channel(), keepAlive, new Reply(400, error("ThrottlingException", "Rate exceeded")));
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double draw = random.nextDouble();
            if (draw < config.errors5xx()) {
                fault(now, () -> ledger.faults5xx++);
                boolean unavailable = random.nextBoolean();
                reply(ctx.channel(), keepAlive, unavailable
                        ? new Reply(503, error("ServiceUnavailable", "stand-in fault"))
                        : new Reply(500, error("InternalFailure", "stand-in fault")));
                return;
            }
            draw -= config.errors5xx();
            if (draw < config.resets()) {
                if (api != Api.GET_ACTIVITY_TASK && random.nextBoolean()) {
                    answer(api, body, now, true, false); // processed; the reply is lost with the connection
                    fault(now, () -> ledger.resetsAfter++);
                } else {
                    fault(now, () -> ledger.resetsBefore++);
                }
                conn.closedHow = "the stand-in's reset fault";
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.close();
                return;
            }
            draw -= config.resets();
            if (api == Api.GET_ACTIVITY_TASK) {
                conn.pollSdkRequest = request.headers().get("amz-sdk-request");
                poll(ctx.channel(), conn, processOf(request, body), keepAlive, now);
                return;
            }
            boolean slow = draw < config.slow();
            Reply reply = answer(api, body, now, false, slow);
            if (slow) {
                fault(now, () -> ledger.slowReplies++);
                ctx.executor().schedule(() -> reply(ctx.channel(), keepAlive, reply), config.slowByMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                reply(ctx.channel(), keepAlive, reply);
            }
        }
    }

    private void fault(long now, Runnable count) {
        synchronized (this) {
            faults++;
            count.run();
        }
        ledger.count(Series.FAULTS, now);
    }

    private void poll(Channel channel, Conn conn, String worker, boolean keepAlive, long now) {
        Attempt attempt;
        synchronized (this) {
            lastPollAt.put(worker, now);
            firstPollAt.putIfAbsent(worker, now);
            Task task = waitingTasks.pollFirst();
            if (task == null && released) {
                reply(channel, keepAlive, Reply.OK);
                return;
            }
            if (task == null) {
                Poll poll = new Poll(channel, keepAlive, worker, now, conn);
                waitingPolls.addLast(poll);
                conn.heldPolls++;
                poll.expiry = channel.eventLoop().schedule(() -> expire(poll), config.holdMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            }
            attempt = handOut(task, worker, now, conn, now);
        }
        write(channel, keepAlive, attempt);
    }

    private void expire(Poll poll) {
        synchronized (this) {
            if (!waitingPolls.remove(poll)) {
                return;
            }
            poll.conn.heldPolls--;
        }
        if (poll.channel.isActive()) {
            reply(poll.channel, poll.keepAlive, Reply.OK);
        }
    }

    /** To the poll that waited longest, dead or alive, as the service does; else to the next poll to arrive. */
    private void handToAPoll(Task task) {
        Poll poll;
        Attempt attempt;
        synchronized (this) {
            poll = waitingPolls.pollFirst();
            if (poll != null) {
                poll.conn.heldPolls--;
            }
            if (poll == null) {
                task.state = TaskState.WAITING;
                waitingTasks.addLast(task);
                return;
            }
            poll.expiry.cancel(false);
            attempt = handOut(task, poll.worker, poll.arrivedAt, poll.conn, System.nanoTime());
        }
        write(poll.channel, poll.keepAlive, attempt);
    }

    private Attempt handOut(Task task, String worker, long pollArrivedAt, Conn conn, long now) {
        Attempt attempt = new Attempt(task, task.attempts.size() + 1, ThreadLocalRandom.current().nextLong(), worker,
                pollArrivedAt, conn, now);
        attempt.connRequestsAtHandOut = conn.requests;
        attempt.pollSdkRequest = conn.pollSdkRequest;
        task.attempts.add(attempt);
        task.state = TaskState.IN_HAND;
        open.add(attempt);
        if (killedAt.containsKey(worker)) {
            attempt.handOut = HandOut.WORKER_KILLED;
            deadPoll++;
            ledger.count(Series.DEAD_POLL, now);
        }
        return attempt;
    }

    private void write(Channel channel, boolean keepAlive, Attempt attempt) {
        if (!channel.isActive()) {
            lostOnTheWire(attempt, HandOut.CONNECTION_CLOSED);
            return;
        }
        FullHttpResponse response = response(200, taskJson(attempt));
        channel.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                lostOnTheWire(attempt, HandOut.WRITE_FAILED);
            } else if (!keepAlive) {
                attempt.conn.closedHow = "by the stand-in (no keep-alive)";
                written.channel().close();
            }
        });
    }

    private void lostOnTheWire(Attempt attempt, HandOut how) {
        synchronized (this) {
            if (attempt.handOut != HandOut.WRITTEN) {
                return;
            }
            attempt.handOut = how;
            deadPoll++;
        }
        ledger.count(Series.DEAD_POLL, System.nanoTime());
    }

    private Reply answer(Api api, String body, long now, boolean replyLost, boolean replyLate) {
        String token = field(body, "taskToken");
        synchronized (this) {
            Attempt attempt = attemptOf(token);
            if (attempt == null) {
                ledger.unknownTokens++;
                return new Reply(400, error("TaskDoesNotExist", "Task does not exist"));
            }
            if (api == Api.SEND_TASK_HEARTBEAT) {
                if (!attempt.isOpen()) {
                    attempt.refusedHeartbeats++;
                    return new Reply(400, TASK_TIMED_OUT);
                }
                attempt.lastBeat = now;
                attempt.heartbeats++;
                ledger.count(Series.HEARTBEATS, now);
                return Reply.OK;
            }
            String error = api == Api.SEND_TASK_FAILURE ? field(body, "error") : null;
            if (!attempt.isOpen()) {
                attempt.answers.add(new Answer(now, api, error, false, replyLost, replyLate));
                return new Reply(400, TASK_TIMED_OUT);
            }
            attempt.answers.add(new Answer(now, api, error, true, replyLost, replyLate));
            closeAttempt(attempt, api == Api.SEND_TASK_SUCCESS ? Close.SUCCEEDED : Close.FAILED, error, now);
            ledger.count(Series.ANSWERS, now);
            Task task = attempt.task;
            if (api == Api.SEND_TASK_SUCCESS) {
                if (!body.contains("task\\\":" + task.id + "}")) {
                    ledger.outputMismatches++;
                }
                finish(task, TaskState.SUCCEEDED, now);
            } else if (error != null && RETRIED_ERRORS.contains(error)) {
                ledger.count(error.equals(WORKER_LOST) ? Series.LOST : Series.STOPPED, now);
                if (task.attempts.size() <= config.retries()) {
                    task.state = TaskState.RETRY_PENDING;
                    retryPending++;
                    timers.schedule(() -> retry(task), config.retryIntervalMillis(), TimeUnit.MILLISECONDS);
                } else {
                    finish(task, TaskState.RETRIES_EXHAUSTED, now);
                }
            } else {
                finish(task, TaskState.FAILED, now);
            }
            return Reply.OK;
        }
    }

    private void retry(Task task) {
        synchronized (this) {
            retryPending--;
        }
        handToAPoll(task);
    }

    private void closeAttempt(Attempt attempt, Close close, String error, long now) {
        attempt.close = close;
        attempt.closedAt = now;
        attempt.error = error;
        open.remove(attempt);
    }

    private void finish(Task task, TaskState state, long now) {
        task.state = state;
        task.finalAt = now;
        unfinished--;
        if (state == TaskState.SUCCEEDED || state == TaskState.FAILED) {
            task.finalAnswers++;
            completed++;
            ledger.count(Series.COMPLETED, now);
        }
    }

    private void enforceHeartbeats() {
        long now = System.nanoTime();
        List<Attempt> late = new ArrayList<>();
        synchronized (this) {
            for (Attempt attempt : open) {
                if (now - attempt.lastBeat > heartbeatNanos) {
                    late.add(attempt);
                }
            }
            for (Attempt attempt : late) {
                closeAttempt(attempt, Close.TIMED_OUT, "States.Timeout", now);
                finish(attempt.task, TaskState.TIMED_OUT, now);
                timeouts++;
            }
        }
        late.forEach(attempt -> ledger.count(Series.TIMEOUTS, now));
    }

    private void sample() {
        long now = System.nanoTime();
        synchronized (this) {
            ledger.gauge(Series.IN_HAND, now, open.size());
            ledger.gauge(Series.WAITING, now, waitingTasks.size() + retryPending);
            ledger.gauge(Series.POLLS_OPEN, now, waitingPolls.stream().filter(poll -> poll.channel.isActive()).count());
        }
    }

    private Attempt attemptOf(String token) {
        if (token == null || token.length() != TOKEN_HEAD.length() + 30 + TOKEN_TAIL.length()
            || !token.startsWith(TOKEN_HEAD) || !token.endsWith(TOKEN_TAIL)) {
            return null;
        }
        try {
            int at = TOKEN_HEAD.length();
            int id = Integer.parseInt(token, at, at + 10, 10);
            int number = Integer.parseInt(token, at + 11, at + 13, 10);
            long nonce = Long.parseUnsignedLong(token, at + 14, at + 30, 16);
            if (id >= ledger.tasks.size()) {
                return null;
            }
            Task task = ledger.tasks.get(id);
            if (number < 1 || number > task.attempts.size()) {
                return null;
            }
            Attempt attempt = task.attempts.get(number - 1);
            return attempt.nonce == nonce ? attempt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String token(Attempt attempt) {
        return TOKEN_HEAD + String.format("%010dx%02d/%016x", attempt.task.id, attempt.number, attempt.nonce)
               + TOKEN_TAIL;
    }

    private static String taskJson(Attempt attempt) {
        Task task = attempt.task;
        return "{\"taskToken\":\"" + token(attempt) + "\",\"input\":\"{\\\"task\\\":" + task.id + ",\\\"ms\\\":"
               + task.workMillis + ",\\\"fail\\\":" + task.routeFails + "}\"}";
    }

    /**
     * Which worker process sent a poll: the application id its SDK puts in the User-Agent ({@code app/<id>}, from
     * {@code AWS_SDK_UA_APP_ID}), else the poll's workerName. The soak's fleet gives each process an id of its own,
     * while a worker started on a killed one's journal polls under the killed one's worker name, as a restarted
     * container does; the service sees only the name, the soak's count needs the process.
     */
    static String processOf(FullHttpRequest request, String body) {
        String agent = request.headers().get(HttpHeaderNames.USER_AGENT);
        int at = agent == null ? -1 : agent.indexOf(" app/");
        if (at < 0) {
            return field(body, "workerName");
        }
        int end = agent.indexOf(' ', at + 5);
        return agent.substring(at + 5, end < 0 ? agent.length() : end);
    }

    /** A string field of a JSON body, without escapes (tokens, worker names, error names). */
    static String field(String body, String name) {
        String key = "\"" + name + "\":\"";
        int start = body.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = body.indexOf('"', start);
        return end < 0 ? null : body.substring(start, end);
    }

    private static String error(String type, String message) {
        return "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
    }

    private void reply(Channel channel, boolean keepAlive, Reply reply) {
        if (!channel.isActive()) {
            return;
        }
        var written = channel.writeAndFlush(response(reply.status(), reply.body()));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse response(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0")
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set("x-amzn-RequestId", "soak-stand-in");
        return response;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
