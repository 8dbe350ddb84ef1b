package io.github.sfnfail.camel;

import java.util.Comparator;
import java.util.Map;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel dev console {@code aws-sfn-fail}: what the failure reports of each aws-sfn-fail endpoint did (sent, landed,
 * closed tasks, KMS fallbacks, refused before the call, causes cut, failures by AWS error code, throttled calls, in
 * flight, latest request id), as text and JSON, for {@code camel get} and the dev console web page.
 */
@DevConsole(name = "aws-sfn-fail", displayName = "AWS Step Functions Task Failure",
            description = "What the failure reports of each aws-sfn-fail endpoint did")
public class SfnFailDevConsole extends AbstractDevConsole {

    public SfnFailDevConsole() {
        super("camel", "aws-sfn-fail", "AWS Step Functions Task Failure",
              "What the failure reports of each aws-sfn-fail endpoint did");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (SfnFailEndpoint endpoint : endpoints()) {
            text.append(endpoint.getMaskedUri()).append('\n');
            endpoint.getCounters().asMap()
                    .forEach((name, value) -> text.append("    ").append(name).append(": ").append(value).append('\n'));
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject endpoints = new JsonObject();
        for (SfnFailEndpoint endpoint : endpoints()) {
            endpoints.put(endpoint.getMaskedUri(), new JsonObject(endpoint.getCounters().asMap()));
        }
        JsonObject root = new JsonObject();
        root.put("endpoints", endpoints);
        return root;
    }

    private Iterable<SfnFailEndpoint> endpoints() {
        return getCamelContext().getEndpoints().stream().filter(SfnFailEndpoint.class::isInstance)
                .map(SfnFailEndpoint.class::cast).sorted(Comparator.comparing(SfnFailEndpoint::getMaskedUri))
                .toList();
    }
}
