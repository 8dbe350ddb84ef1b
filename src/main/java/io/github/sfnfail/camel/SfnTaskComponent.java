package io.github.sfnfail.camel;

import java.util.Map;

import org.apache.camel.spi.Metadata;
import org.apache.camel.support.HealthCheckComponent;

/**
 * What the Step Functions task callback components share: the client factory, and the options every endpoint starts
 * from. A scheme's component holds its own configuration class and creates its own endpoints.
 */
public abstract class SfnTaskComponent extends HealthCheckComponent {

    @Metadata(label = "advanced", autowired = true)
    private SfnClientFactory clientFactory;

    /** The factory used when none is given; owned, so closed, by the component. */
    private DefaultSfnClientFactory defaultClientFactory;
    private final Object defaultClientFactoryLock = new Object();

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
     * Sets a new endpoint's options: the shared ones of the aws-sfn component that this component did not set itself,
     * then the URI's.
     */
    protected void setEndpointOptions(SfnTaskEndpoint endpoint, Map<String, Object> parameters) throws Exception {
        SfnSharedOptionsComponent shared = getCamelContext().getComponent(SfnSharedOptionsComponent.SCHEME,
                SfnSharedOptionsComponent.class);
        if (shared != null) {
            shared.applyTo(endpoint);
        }
        setProperties(endpoint, parameters);
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
