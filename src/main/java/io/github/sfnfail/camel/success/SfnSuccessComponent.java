package io.github.sfnfail.camel.success;

import java.util.Map;

import io.github.sfnfail.camel.SfnTaskComponent;
import io.github.sfnfail.camel.SfnTaskConfiguration;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * The {@code aws-sfn-success} component: options set here apply to every endpoint, which can override them.
 */
@Component("aws-sfn-success")
public class SfnSuccessComponent extends SfnTaskComponent {

    @Metadata
    private SfnTaskConfiguration configuration = new SfnTaskConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnSuccessEndpoint endpoint = new SfnSuccessEndpoint(uri, this, configuration.copy());
        endpoint.setLabel(remaining);
        setEndpointOptions(endpoint, parameters);
        return endpoint;
    }

    @Override
    public SfnTaskConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options shared by all endpoints of this component.
     */
    public void setConfiguration(SfnTaskConfiguration configuration) {
        this.configuration = configuration;
    }
}
