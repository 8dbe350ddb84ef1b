package io.github.sfnfail.camel.observe;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel dev console {@code aws-sfn}: what the answers of each aws-sfn-fail, aws-sfn-success, aws-sfn-heartbeat and
 * aws-sfn-activity endpoint did (and the activity consumer's polls and tasks) (sent, landed, closed tasks, KMS fallbacks, refused before the call, causes cut, failures by AWS error
 * code, throttled calls, in flight, latest request id), as text and JSON, for {@code camel get} and the dev console web
 * page. Endpoints are listed by their full URI, secrets and task token masked.
 */
@DevConsole(name = "aws-sfn", displayName = "AWS Step Functions Task Callbacks",
            description = "What the answers of each aws-sfn-fail, aws-sfn-success and aws-sfn-heartbeat endpoint did")
public class SfnDevConsole extends AbstractDevConsole {

    public SfnDevConsole() {
        super("camel", "aws-sfn", "AWS Step Functions Task Callbacks",
              "What the answers of each aws-sfn-fail, aws-sfn-success and aws-sfn-heartbeat endpoint did");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (ObservedEndpoint endpoint : endpoints()) {
            text.append(endpoint.getMaskedUri()).append('\n');
            endpoint.figures()
                    .forEach((name, value) -> text.append("    ").append(name).append(": ").append(value).append('\n'));
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject endpoints = new JsonObject();
        for (ObservedEndpoint endpoint : endpoints()) {
            endpoints.put(endpoint.getMaskedUri(), new JsonObject(endpoint.figures()));
        }
        JsonObject root = new JsonObject();
        root.put("endpoints", endpoints);
        return root;
    }

    private List<ObservedEndpoint> endpoints() {
        return getCamelContext().getEndpoints().stream().filter(ObservedEndpoint.class::isInstance)
                .map(ObservedEndpoint.class::cast).sorted(Comparator.comparing(ObservedEndpoint::getMaskedUri))
                .toList();
    }
}
