package io.github.sfnfail.camel.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.sfn.model.SfnRequest;
import software.amazon.awssdk.services.sfn.model.SfnResponse;

/**
 * One {@link ThrottlePacer} per quota for the whole application (its Camel context): the endpoints whose calls draw on
 * the same token bucket (one API through one client, or through clients of the same credentials, region and service
 * endpoint) share it, whichever scheme they are (a failure report of {@code aws-sfn-fail} and of the activity
 * consumer draw on the same SendTaskFailure quota). A context service, with one scheduler thread for every pacer; a
 * pacer goes when its last endpoint leaves.
 */
public final class QuotaPacers extends ServiceSupport {

    private final CamelContext context;
    private final Map<QuotaKey, ThrottlePacer> pacers = new HashMap<>();
    private ScheduledExecutorService scheduler;

    private QuotaPacers(CamelContext context) {
        this.context = context;
    }

    /** The pacers of the context's endpoints, started with it on first use. */
    public static QuotaPacers of(CamelContext context) {
        return ContextServices.of(context, QuotaPacers.class, QuotaPacers::new, "the Step Functions pacers");
    }

    /**
     * The calls of one endpoint, each paced by the pacer of its quota: the scope and the call's API. The endpoint leaves
     * every pacer it joined when it closes the lease.
     *
     * @param scope            what the quota is for, the API apart: the client itself when the endpoint uses one from
     *                         the registry, else what tells an account and region apart
     * @param scopeDescription the scope for log lines ("in region us-east-1")
     * @param budgetMillis     the endpoint's throttlingTimeout
     */
    public Lease lease(TaskCalls client, Object scope, String scopeDescription, String endpoint, long budgetMillis,
                       AnswerTally counters) {
        return new Lease(client, scope, scopeDescription, endpoint, budgetMillis, counters);
    }

    private synchronized ThrottlePacer.Member join(QuotaKey key, String scopeDescription, String noun, String endpoint,
                                                  long budgetMillis, AnswerTally counters) {
        if (scheduler == null) {
            throw new IllegalStateException("The Step Functions pacers of " + context.getName() + " are stopped");
        }
        ThrottlePacer pacer = pacers.computeIfAbsent(key, k -> new ThrottlePacer(
                k.api() + " " + scopeDescription, noun, scheduler, System::nanoTime));
        return pacer.join(endpoint, budgetMillis, counters);
    }

    private synchronized void left(QuotaKey key) {
        ThrottlePacer pacer = pacers.get(key);
        if (pacer != null && pacer.isIdle()) {
            pacers.remove(key);
        }
    }

    @Override
    protected synchronized void doStart() {
        scheduler = WorkerThreads.newTimer(context, "AwsSfnPacer");
    }

    @Override
    protected void doStop() {
        List<ThrottlePacer> all;
        synchronized (this) {
            all = new ArrayList<>(pacers.values());
            pacers.clear();
        }
        all.forEach(ThrottlePacer::stop);
        synchronized (this) {
            if (scheduler != null) {
                context.getExecutorServiceManager().shutdown(scheduler);
                scheduler = null;
            }
        }
    }

    /** A quota: one API, in one scope. */
    private record QuotaKey(Object scope, String api) {
    }

    /**
     * The paced calls of one endpoint: it joins the pacer of each API at its first call of it. Closing it leaves them
     * (the SDK client stays open: it is the endpoint's).
     */
    public final class Lease implements TaskCalls {
        private final TaskCalls client;
        private final Object scope;
        private final String scopeDescription;
        private final String endpoint;
        private final long budgetMillis;
        private final AnswerTally counters;
        private final Map<String, ThrottlePacer.Member> members = new ConcurrentHashMap<>();
        private volatile boolean closed;

        private Lease(TaskCalls client, Object scope, String scopeDescription, String endpoint, long budgetMillis,
                      AnswerTally counters) {
            this.client = client;
            this.scope = scope;
            this.scopeDescription = scopeDescription;
            this.endpoint = endpoint;
            this.budgetMillis = budgetMillis;
            this.counters = counters;
        }

        @Override
        public <R extends SfnRequest, S extends SfnResponse> CompletableFuture<S> send(TaskCall<R, S> call, R request,
                                                                                       AttemptOutcomes attempts) {
            ThrottlePacer.Member member = members.get(call.api());
            if (member == null) {
                member = memberFor(call);
            }
            return member.pace(() -> client.send(call, request, attempts));
        }

        private synchronized ThrottlePacer.Member memberFor(TaskCall<?, ?> call) {
            if (closed) {
                throw new IllegalStateException("Endpoint " + endpoint + " is stopped");
            }
            return members.computeIfAbsent(call.api(), api -> join(new QuotaKey(scope, api), scopeDescription,
                    call.noun(), endpoint, budgetMillis, counters));
        }

        @Override
        public boolean watchesAttempts() {
            return client.watchesAttempts();
        }

        /** Leaves every pacer: what still waits for its turn fails, with a message that says why. */
        @Override
        public void close() {
            List<Map.Entry<String, ThrottlePacer.Member>> joined;
            synchronized (this) {
                closed = true;
                joined = new ArrayList<>(members.entrySet());
            }
            for (Map.Entry<String, ThrottlePacer.Member> entry : joined) {
                entry.getValue().leave();
                left(new QuotaKey(scope, entry.getKey()));
            }
        }
    }
}
