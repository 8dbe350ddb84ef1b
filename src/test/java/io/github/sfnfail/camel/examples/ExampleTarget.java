package io.github.sfnfail.camel.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Where the examples run: real AWS (endpoints null, credentials from the SDK's default chain) or local emulators.
 *
 * @param region      the AWS region
 * @param sfnEndpoint the Step Functions endpoint to use instead of AWS's, or null
 * @param sqsEndpoint the SQS endpoint to use instead of AWS's, or null
 * @param accessKey   a static access key, or null for the default chain (the emulators need some key, any key)
 * @param secretKey   the secret key going with accessKey
 * @param roleArn     the IAM role the state machines run as (on AWS one that states.amazonaws.com may assume)
 */
public record ExampleTarget(
        String region, String sfnEndpoint, String sqsEndpoint, String accessKey, String secretKey, String roleArn) {

    static final String LOCAL_ROLE = "arn:aws:iam::123456789012:role/stepfunctions-local";

    public static ExampleTarget local(String sfnEndpoint, String sqsEndpoint) {
        return new ExampleTarget(StepFunctionsLocal.REGION, sfnEndpoint, sqsEndpoint, "local", "local", LOCAL_ROLE);
    }

    public boolean isLocal() {
        return sfnEndpoint != null;
    }

    /** What routes/application.properties needs to point the components at this target. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("sfn.region", region);
        if (sfnEndpoint != null) {
            properties.setProperty("sfn.override-endpoint", "true");
            properties.setProperty("sfn.endpoint", sfnEndpoint);
        }
        if (sqsEndpoint != null) {
            properties.setProperty("sqs.override-endpoint", "true");
            properties.setProperty("sqs.endpoint", sqsEndpoint);
        }
        if (accessKey != null) {
            properties.setProperty("aws.access-key", accessKey);
            properties.setProperty("aws.secret-key", secretKey);
        }
        return properties;
    }

    /**
     * Points Camel AWS components of the context (aws-sfn-fail, aws2-step-functions, aws2-sqs...) at this target's Step
     * Functions, through their component options.
     */
    public void configure(CamelContext context, String... componentNames) {
        Map<String, Object> options = new HashMap<>();
        options.put("region", region);
        if (sfnEndpoint != null) {
            options.put("overrideEndpoint", true);
            options.put("uriEndpointOverride", sfnEndpoint);
        }
        if (accessKey != null) {
            options.put("accessKey", accessKey);
            options.put("secretKey", secretKey);
        }
        for (String name : componentNames) {
            Component component = context.getComponent(name);
            PropertyBindingSupport.build().withMandatory(true).withConfigurer(component.getComponentPropertyConfigurer())
                    .bind(context, component, new HashMap<>(options));
        }
    }
}
