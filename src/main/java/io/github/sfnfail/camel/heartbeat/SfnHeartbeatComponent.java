package io.github.sfnfail.camel.heartbeat;

import java.util.Map;

import io.github.sfnfail.camel.SfnTaskComponent;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * The {@code aws-sfn-heartbeat} component: options set here apply to every endpoint, which can override them.
 */
@Component("aws-sfn-heartbeat")
public class SfnHeartbeatComponent extends SfnTaskComponent {

    @Metadata
    private SfnHeartbeatConfiguration configuration = new SfnHeartbeatConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnHeartbeatEndpoint endpoint = new SfnHeartbeatEndpoint(uri, this, configuration.copy());
        endpoint.setLabel(remaining);
        setEndpointOptions(endpoint, parameters);
        return endpoint;
    }

    @Override
    public SfnHeartbeatConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options shared by all endpoints of this component.
     */
    public void setConfiguration(SfnHeartbeatConfiguration configuration) {
        this.configuration = configuration;
    }
}
