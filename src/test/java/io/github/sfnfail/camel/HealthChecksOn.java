package io.github.sfnfail.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;

/** Camel's health checks for tests: a repository turned on, and one check's result by id. */
final class HealthChecksOn {

    private HealthChecksOn() {
    }

    /** Turns on Camel's repository of checks of this kind ("consumers", "producers") in a context not yet started. */
    static void enable(CamelContext context, String repositoryId) {
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(context);
        HealthCheckRepository repository = (HealthCheckRepository) registry.resolveById(repositoryId);
        repository.setEnabled(true);
        registry.register(repository);
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
    }

    /** The route's consumer check: Camel's consumers repository checks each as consumer:<route id>. */
    static HealthCheck.Result consumer(CamelContext context, String route) {
        String id = "consumer:" + route;
        return HealthCheckHelper.invoke(context, (HealthCheck check) -> !check.getId().equals(id))
                .stream().filter(r -> r.getCheck().getId().equals(id)).findFirst().orElseThrow();
    }
}
