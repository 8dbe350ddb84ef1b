package io.github.sfnfail.camel.engine;

import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;

/**
 * The component's services that live once per Camel context (the pacers of the quotas, the watch over the tasks in
 * work, the bound of a context stop, the activity workers): made and started on first use, found again by their type,
 * stopped with the context.
 */
public final class ContextServices {

    /** Guards the creation of a context's services (never the context itself, whose locks are Camel's). */
    private static final Object CREATION = new Object();

    private ContextServices() {
    }

    /**
     * The context's service of this type, made with the factory and started on first use.
     *
     * @param noun what it is, for the message of a service that cannot start ("the Step Functions pacers")
     */
    public static <T extends Service> T of(CamelContext context, Class<T> type, Function<CamelContext, T> factory,
                                           String noun) {
        synchronized (CREATION) {
            T service = context.hasService(type);
            if (service == null) {
                service = factory.apply(context);
                try {
                    context.addService(service, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Could not start " + noun, e);
                }
            }
            return service;
        }
    }
}
