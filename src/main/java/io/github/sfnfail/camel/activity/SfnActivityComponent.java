package io.github.sfnfail.camel.activity;

import java.util.Map;

import io.github.sfnfail.camel.SfnTaskComponent;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * The {@code aws-sfn-activity} component: options set here apply to every endpoint, which can override them.
 */
@Component("aws-sfn-activity")
public class SfnActivityComponent extends SfnTaskComponent {

    @Metadata
    private SfnActivityConfiguration configuration = new SfnActivityConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SfnActivityEndpoint endpoint = new SfnActivityEndpoint(uri, this, configuration.copy());
        endpoint.setActivityArn(remaining);
        setEndpointOptions(endpoint, parameters);
        return endpoint;
    }

    @Override
    public SfnActivityConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options shared by all endpoints of this component.
     */
    public void setConfiguration(SfnActivityConfiguration configuration) {
        this.configuration = configuration;
    }
}
