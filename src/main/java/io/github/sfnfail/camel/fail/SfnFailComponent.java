package io.github.sfnfail.camel.fail;

import java.util.Map;

import io.github.sfnfail.camel.SfnTaskComponent;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * The {@code aws-sfn-fail} component: options set here apply to every endpoint, which can override them.
 */
@Component("aws-sfn-fail")
public class SfnFailComponent extends SfnTaskComponent {

    @Metadata
    private SfnFailConfiguration configuration = new SfnFailConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnFailEndpoint endpoint = new SfnFailEndpoint(uri, this, configuration.copy());
        endpoint.setLabel(remaining);
        setEndpointOptions(endpoint, parameters);
        return endpoint;
    }

    @Override
    public SfnFailConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options shared by all endpoints of this component.
     */
    public void setConfiguration(SfnFailConfiguration configuration) {
        this.configuration = configuration;
    }
}
