package io.github.sfnfail.camel.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.github.sfnfail.camel.engine.InvalidTaskAnswerException;
import org.apache.camel.CamelContext;

/**
 * The counters of one endpoint as Micrometer meters, named after its scheme ({@code camel.aws.sfn.fail.*},
 * {@code camel.aws.sfn.success.*}, {@code camel.aws.sfn.heartbeat.*}) and tagged with the Camel
 * context and the endpoint's masked full URI (and the AWS error code, or the refused part). Only loaded when Micrometer is on the class path: the endpoint checks
 * before it calls {@link #bind}.
 */
public final class SfnMeters implements AutoCloseable {

    public static final String MICROMETER = "io.micrometer.core.instrument.MeterRegistry";
    private final String prefix;

    private final MeterRegistry registry;
    private final Tags endpointTag;
    private final List<Meter> meters = new ArrayList<>();
    /**
     * The figures the meters read, held here as {@link #counters} is: Micrometer holds the object a gauge or function
     * counter reads only weakly, and a meter whose object was collected reads NaN.
     */
    private final List<MeterFigure> figures = new ArrayList<>();
    private AnswerCounters counters;

    private SfnMeters(MeterRegistry registry, String scheme, String camelContext, String endpoint) {
        this.registry = registry;
        this.prefix = "camel." + scheme.replace('-', '.') + ".";
        this.endpointTag = Tags.of("camelContext", camelContext, "endpoint", endpoint);
    }

    /**
     * @param endpoint the endpoint's full URI, masked: endpoints with the same label and other options have meters of
     *                 their own, and one stopping removes only its own
     * @return the bound meters, to close when the endpoint stops, or null when the registry holds no single
     *         MeterRegistry
     */
    public static AutoCloseable bind(CamelContext context, String scheme, String endpoint, AnswerCounters counters,
                                     List<MeterFigure> figures) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return null;
        }
        SfnMeters meters = new SfnMeters(registry, scheme, context.getName(), endpoint);
        meters.counters = counters;
        meters.figures.addAll(figures);
        meters.counter("reports.sent", "Reports handed to Step Functions", counters, c -> c.sent());
        meters.counter("reports.landed", "Reports Step Functions accepted", counters, c -> c.landed());
        meters.counter("tasks.closed", "Reports that found their task already closed and were done", counters,
                c -> c.closedTasks());
        meters.counter("tasks.closed.by.this.report",
                "Closed tasks closed by an earlier attempt of the same report whose answer was lost", counters,
                c -> c.closedByThisReport());
        meters.counter("kms.fallbacks", "Reports sent without error and cause because KMS refused the key", counters,
                c -> c.kmsFallbacks());
        meters.counter("causes.cut", "Causes cut to the 32768 characters Step Functions accepts", counters,
                c -> c.causesCut());
        meters.counter("throttled.calls", "Calls Step Functions throttled", counters, c -> c.throttledCalls());
        for (InvalidTaskAnswerException.Part part : InvalidTaskAnswerException.Part.values()) {
            meters.meters.add(FunctionCounter.builder(meters.prefix + "reports.refused", counters, c -> c.refused(part))
                    .description("Reports refused before any call, by the part that was wrong")
                    .tags(meters.endpointTag).tag("part", part.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        meters.meters.add(Gauge.builder(meters.prefix + "reports.in.flight", counters, c -> c.inFlight())
                .description("Reports sent and not answered yet").tags(meters.endpointTag).register(registry));
        for (MeterFigure figure : figures) {
            meters.meters.add(figure.monotonic()
                    ? FunctionCounter.builder(meters.prefix + figure.name(), figure, f -> f.value().getAsDouble())
                            .description(figure.description()).tags(meters.endpointTag).register(registry)
                    : Gauge.builder(meters.prefix + figure.name(), figure, f -> f.value().getAsDouble())
                            .description(figure.description()).tags(meters.endpointTag).register(registry));
        }
        // listen first, then add the codes seen so far: none is missed (a meter registered twice is the same meter)
        counters.onNewErrorCode(code -> meters.failed(counters, code));
        counters.failedByErrorCode().keySet().forEach(code -> meters.failed(counters, code));
        return meters;
    }

    private void counter(String name, String description, AnswerCounters counters, ToDoubleFunction<AnswerCounters> f) {
        meters.add(FunctionCounter.builder(prefix + name, counters, f).description(description).tags(endpointTag)
                .register(registry));
    }

    private synchronized void failed(AnswerCounters counters, String code) {
        meters.add(FunctionCounter.builder(prefix + "reports.failed", counters,
                c -> c.failed(code)).description("Reports that failed, by AWS error code")
                .tags(endpointTag).tag("error.code", code).register(registry));
    }

    @Override
    public synchronized void close() {
        if (counters != null) {
            counters.onNewErrorCode(code -> {
            });
        }
        meters.forEach(registry::remove);
        meters.clear();
        figures.clear();
    }
}
