package io.github.sfnfail.camel;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.ResolveEndpointFailedException;

/**
 * Refuses the parameters of an endpoint URI (or of a YAML route's {@code parameters:} block, which Camel turns into
 * the URI's query) that are no option of the scheme, naming the closest option for each: Camel's own message for
 * them, "There are 1 parameters that couldn't be set on the endpoint", names no option, where a misspelled property
 * line is told the one it most likely meant ({@link OptionChecks#unknown}).
 */
final class UnknownUriOptions {

    private UnknownUriOptions() {
    }

    /**
     * Fails when parameters are left that no option took.
     *
     * @param uri        the endpoint URI, as Camel names it in the exception (it masks its secrets)
     * @param scheme     the scheme, as the message names it
     * @param unknown    the parameters that are left, by name
     * @param options    the endpoint options of the scheme
     * @throws ResolveEndpointFailedException when any parameter is left
     */
    static void refuse(String uri, String scheme, Map<String, Object> unknown, Collection<String> options) {
        if (unknown.isEmpty()) {
            return;
        }
        String each = unknown.keySet().stream().sorted().map(name -> described(name, options))
                .collect(Collectors.joining("; "));
        throw new ResolveEndpointFailedException(uri, "There are " + unknown.size() + " parameters that couldn't be "
                                                      + "set on the endpoint: " + each + ". The " + scheme
                                                      + " endpoint options are " + String.join(", ", options));
    }

    private static String described(String name, Collection<String> options) {
        String closest = OptionChecks.closest(name, options);
        return "unknown option " + name + (closest == null ? "" : " (did you mean " + closest + "?)");
    }
}
