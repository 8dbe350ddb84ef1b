package io.github.sfnfail.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.component.PropertyConfigurerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code aws-sfn} component: no endpoints, only the options every scheme (aws-sfn-fail, aws-sfn-success,
 * aws-sfn-heartbeat, aws-sfn-activity) shares, set once as {@code camel.component.aws-sfn.*}: the region, credentials,
 * service endpoint, proxy, clients, retries, time limits and closed tasks; and the activity consumer's journal
 * directory, a fact of the deployment like those (the producers leave it). Each scheme's endpoint starts from them,
 * then from its own component's options that were set (which win), then from its URI.
 * <p>
 * The option names and their types are those of the schemes' endpoints, and so are their descriptions (each scheme's
 * component page). A value is converted when it is set, so a bad one fails the start naming its option; a misspelled
 * name fails naming the closest option.
 */
@Component(SfnSharedOptionsComponent.SCHEME)
public class SfnSharedOptionsComponent extends DefaultComponent {

    public static final String SCHEME = "aws-sfn";
    private static final String PREFIX = "camel.component." + SCHEME + ".";

    /** A scheme whose endpoint has every option all schemes share: it gives each its type. */
    private static final String TYPED_BY = "aws-sfn-fail-endpoint";
    /** The activity consumer's endpoint, which gives the shared options of its own their type. */
    private static final String ACTIVITY_TYPED_BY = "aws-sfn-activity-endpoint";
    /** Every option this component takes: those all schemes share, then the activity consumer's. */
    public static final List<String> OPTIONS = Stream.concat(SfnTaskConfiguration.SHARED_OPTIONS.stream(),
            SfnTaskConfiguration.SHARED_ACTIVITY_OPTIONS.stream()).toList();
    private static final Logger LOG = LoggerFactory.getLogger(SfnSharedOptionsComponent.class);

    /** The options set, by name, converted to their type. */
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final SharedOptionsConfigurer configurer = new SharedOptionsConfigurer();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        throw new IllegalArgumentException(SCHEME + " has no endpoints: it holds the options the schemes share, "
                                           + "camel.component." + SCHEME + ".*. Use aws-sfn-fail:, aws-sfn-success:, "
                                           + "aws-sfn-heartbeat: or aws-sfn-activity:");
    }

    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return configurer;
    }

    /** Sets a shared option, as camel.component.aws-sfn.&lt;name&gt; does: converted now, so a bad value fails here. */
    public void setOption(String name, Object value) {
        String option = optionNamed(name);
        if (option == null) {
            throw new IllegalArgumentException(OptionChecks.unknown(PREFIX, name, OPTIONS));
        }
        boolean duration = OptionChecks.durations(SfnTaskConfiguration.class).contains(option);
        if (duration) {
            OptionChecks.checkDuration(PREFIX + option, value);
        }
        Class<?> type = typeOf(option);
        try {
            values.put(option, PropertyConfigurerSupport.property(getCamelContext(), type, value));
        } catch (RuntimeException e) {
            String expected = duration ? "a duration such as 30s or 5m, or milliseconds (1000 or more)"
                    : "of type " + type.getSimpleName();
            throw new IllegalArgumentException(PREFIX + option + " must be " + expected
                                               + ", not '" + value + "'", e);
        }
    }

    /** The value of a shared option, or null when it is not set. */
    public Object getOption(String name) {
        String option = optionNamed(name);
        return option == null ? null : values.get(option);
    }

    /**
     * Gives a scheme's new endpoint the shared options that it has and that its component did not set itself; the
     * endpoint's URI options are applied after.
     */
    void applyTo(SfnTaskEndpoint endpoint) {
        SfnTaskConfiguration schemeOptions = endpoint.getComponent().getConfiguration();
        PropertyConfigurer endpointOptions = endpoint.getComponent().getEndpointPropertyConfigurer();
        values.forEach((option, value) -> {
            if (!schemeOptions.isSet(option)
                    && endpointOptions.configure(getCamelContext(), endpoint, option, value, false)) {
                endpoint.getConfiguration().markFromSharedOptions(option);
                LOG.debug("{} takes {} from camel.component.{}", endpoint.getScheme(), option, SCHEME);
            }
        });
    }

    /** The shared option with this name, in any case and with or without dashes, or null. */
    private static String optionNamed(String name) {
        return OptionChecks.named(name, OPTIONS);
    }

    /** The type of a shared option, as the endpoint of a scheme that has it declares it. */
    private Class<?> typeOf(String option) {
        CamelContext context = getCamelContext();
        String typedBy = SfnTaskConfiguration.SHARED_OPTIONS.contains(option) ? TYPED_BY : ACTIVITY_TYPED_BY;
        PropertyConfigurerGetter types = (PropertyConfigurerGetter) PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer(typedBy, context);
        return types.getOptionType(option, false);
    }

    /** Binds camel.component.aws-sfn.* (camel-main, Camel Quarkus, JBang and the jar's Spring Boot binding). */
    private final class SharedOptionsConfigurer implements PropertyConfigurer, PropertyConfigurerGetter {

        @Override
        public boolean configure(CamelContext camelContext, Object target, String name, Object value,
                                 boolean ignoreCase) {
            // an unknown name fails here, naming the closest option, rather than as a bare binding error
            setOption(name, value);
            return true;
        }

        @Override
        public Class<?> getOptionType(String name, boolean ignoreCase) {
            String option = optionNamed(name);
            return option == null ? null : typeOf(option);
        }

        @Override
        public Object getOptionValue(Object target, String name, boolean ignoreCase) {
            return getOption(name);
        }
    }
}
