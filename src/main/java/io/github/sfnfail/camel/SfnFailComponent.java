package io.github.sfnfail.camel;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * The {@code aws-sfn-fail} component: options set here apply to every endpoint, which can override them.
 */
@Component("aws-sfn-fail")
public class SfnFailComponent extends HealthCheckComponent {

    @Metadata
    private SfnFailConfiguration configuration = new SfnFailConfiguration();
    @Metadata(label = "advanced", autowired = true)
    private SfnClientFactory clientFactory;

    /** The factory used when none is given; owned, so closed, by the component. */
    private DefaultSfnClientFactory defaultClientFactory;
    private final Object defaultClientFactoryLock = new Object();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnFailEndpoint endpoint = new SfnFailEndpoint(uri, this, configuration.copy());
        endpoint.setLabel(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The factory the endpoints build their clients with: the one given, else the component's own. */
    SfnClientFactory clientFactoryInUse() {
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

    @Override
    protected void doStop() throws Exception {
        synchronized (defaultClientFactoryLock) {
            if (defaultClientFactory != null) {
                defaultClientFactory.close();
                defaultClientFactory = null;
            }
        }
        super.doStop();
    }

    public SfnFailConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options shared by all endpoints of this component.
     */
    public void setConfiguration(SfnFailConfiguration configuration) {
        this.configuration = configuration;
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
