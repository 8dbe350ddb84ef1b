package io.github.sfnfail.camel;

import org.apache.camel.CamelContext;

/** Points the component's schemes at a Step Functions stand-in on loopback, with test credentials. */
final class LoopbackComponents {

    private LoopbackComponents() {
    }

    static void pointAt(CamelContext context, String url, String region, String accessKey, String secretKey,
                        String... schemes) {
        for (String scheme : schemes) {
            SfnTaskConfiguration configuration = context.getComponent(scheme, SfnTaskComponent.class).getConfiguration();
            configuration.setRegion(region);
            configuration.setAccessKey(accessKey);
            configuration.setSecretKey(secretKey);
            configuration.setOverrideEndpoint(true);
            configuration.setUriEndpointOverride(url);
        }
    }
}
