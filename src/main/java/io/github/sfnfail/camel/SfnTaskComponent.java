package io.github.sfnfail.camel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.sfnfail.camel.engine.CallResources;
import io.github.sfnfail.camel.engine.StopDeadline;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.HealthCheckComponent;

/**
 * What the Step Functions task callback components share: the client factory, and the options every endpoint starts
 * from. A scheme's component holds its own configuration class and creates its own endpoints.
 */
public abstract class SfnTaskComponent extends HealthCheckComponent {

    private final Set<CallResources> openResources = ConcurrentHashMap.newKeySet();

    @Metadata(label = "advanced", autowired = true)
    private SfnClientFactory clientFactory;

    /** The factory used when none is given; owned, so closed, by the component. */
    private DefaultSfnClientFactory defaultClientFactory;
    private final Object defaultClientFactoryLock = new Object();
    private volatile CheckedOptions checkedOptions;

    /** The options shared by all endpoints of this component. */
    public abstract SfnTaskConfiguration getConfiguration();

    /** The factory the endpoints build their clients with: the one given, else the component's own. */
    public SfnClientFactory clientFactoryInUse() {
        if (clientFactory != null) {
            return clientFactory;
        }
        synchronized (defaultClientFactoryLock) {
            if (defaultClientFactory == null) {
                defaultClientFactory = new DefaultSfnClientFactory();
            }
            return defaultClientFactory;
        }
    }

    /**
     * The generated configurer of camel.component.&lt;scheme&gt;.* lines, with the checks every scheme makes as an option
     * is set: a misspelled name fails naming the closest option, a plain number under a second for a duration fails.
     */
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        PropertyConfigurer generated = super.getComponentPropertyConfigurer();
        if (generated == null) {
            return null;
        }
        CheckedOptions checked = checkedOptions;
        if (checked == null || checked.generated != generated) {
            checked = new CheckedOptions(generated);
            checkedOptions = checked;
        }
        return checked;
    }

    /**
     * Sets a new endpoint's options: the shared ones of the aws-sfn component that this component did not set itself,
     * then the URI's.
     */
    protected void setEndpointOptions(SfnTaskEndpoint endpoint, Map<String, Object> parameters) throws Exception {
        for (String duration : OptionChecks.durations(getConfiguration().getClass())) {
            parameters.entrySet().stream().filter(parameter -> parameter.getKey().equalsIgnoreCase(duration))
                    .forEach(parameter -> OptionChecks.checkDuration(getDefaultName() + " endpoint option " + duration,
                            parameter.getValue()));
        }
        SfnSharedOptionsComponent shared = getCamelContext().getComponent(SfnSharedOptionsComponent.SCHEME,
                SfnSharedOptionsComponent.class);
        if (shared != null) {
            shared.applyTo(endpoint);
        }
        setProperties(endpoint, parameters);
    }

    /**
     * Refuses the URI parameters no option took as Camel does, and names the closest option for each
     * ({@link UnknownUriOptions}); parameters under a prefix are left to Camel.
     */
    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (optionPrefix != null || parameters == null) {
            super.validateParameters(uri, parameters, optionPrefix);
            return;
        }
        UnknownUriOptions.refuse(uri, getDefaultName(), parameters, endpointOptions());
    }

    /** The query options of this scheme's endpoints, as its generated URI factory names them. */
    private Collection<String> endpointOptions() {
        EndpointUriFactory uris = getCamelContext().getCamelContextExtension().getEndpointUriFactory(getDefaultName());
        return uris == null ? OptionChecks.options(getConfiguration().getClass()) : new TreeSet<>(uris.propertyNames());
    }

    /**
     * The resources of an endpoint's start, until they are closed: a long poll that a route's removal left open still
     * holds them, and the component's stop waits for them (at most until the deadline of the context's stop,
     * {@link StopDeadline}) before it closes the event loops their client runs on.
     */
    void track(CallResources resources) {
        openResources.add(resources);
        resources.closed().whenComplete((closed, error) -> openResources.remove(resources));
    }

    @Override
    protected void doStop() throws Exception {
        // one deadline for every wait of the context's stop: what an endpoint's own stop waited for is not waited for
        // again, and several endpoints do not add their waits up
        StopDeadline deadline = StopDeadline.of(getCamelContext());
        for (CallResources held : List.copyOf(openResources)) {
            long left = deadline.millisLeft();
            if (left > 0) {
                held.awaitClosed(left, TimeUnit.MILLISECONDS);
            }
        }
        synchronized (defaultClientFactoryLock) {
            if (defaultClientFactory != null) {
                defaultClientFactory.close();
                defaultClientFactory = null;
            }
        }
        super.doStop();
    }

    /** The component's generated configurer, with the checks of {@link OptionChecks} before it. */
    private final class CheckedOptions implements GeneratedPropertyConfigurer, PropertyConfigurerGetter {

        private final PropertyConfigurer generated;

        CheckedOptions(PropertyConfigurer generated) {
            this.generated = generated;
        }

        /** The configurer the Camel build tools generated, which sets the options. */
        PropertyConfigurer generated() {
            return generated;
        }

        @Override
        public boolean configure(CamelContext camelContext, Object target, String name, Object value,
                                 boolean ignoreCase) {
            String prefix = "camel.component." + getDefaultName() + ".";
            String duration = OptionChecks.named(name, OptionChecks.durations(getConfiguration().getClass()));
            if (duration != null) {
                OptionChecks.checkDuration(prefix + duration, value);
            }
            if (generated.configure(camelContext, target, name, value, ignoreCase)) {
                return true;
            }
            if (name.indexOf('.') < 0) {
                throw new IllegalArgumentException(OptionChecks.unknown(prefix, name,
                        OptionChecks.options(getConfiguration().getClass())));
            }
            return false;
        }

        @Override
        public Class<?> getOptionType(String name, boolean ignoreCase) {
            return generated instanceof PropertyConfigurerGetter getter ? getter.getOptionType(name, ignoreCase) : null;
        }

        @Override
        public Object getOptionValue(Object target, String name, boolean ignoreCase) {
            return generated instanceof PropertyConfigurerGetter getter ? getter.getOptionValue(target, name, ignoreCase)
                    : null;
        }

        @Override
        public Object getCollectionValueType(Object target, String name, boolean ignoreCase) {
            return generated instanceof PropertyConfigurerGetter getter
                    ? getter.getCollectionValueType(target, name, ignoreCase) : null;
        }

        @Override
        public String[] getAutowiredNames() {
            return generated instanceof PropertyConfigurerGetter getter ? getter.getAutowiredNames() : null;
        }
    }

    public SfnClientFactory getClientFactory() {
        return clientFactory;
    }

    /**
     * Builds the Step Functions clients of endpoints that are not given one; by default DefaultSfnClientFactory. If
     * exactly one SfnClientFactory is in the registry it is used.
     */
    public void setClientFactory(SfnClientFactory clientFactory) {
        this.clientFactory = clientFactory;
    }
}
