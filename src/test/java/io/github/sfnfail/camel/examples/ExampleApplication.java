package io.github.sfnfail.camel.examples;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The example routes of {@code routes/} run the way a user runs them: camel-main with routes/application.properties,
 * plus the properties that point them at a target.
 */
public final class ExampleApplication implements AutoCloseable {

    private final Main main;

    private ExampleApplication(Main main) {
        this.main = main;
    }

    /**
     * @param properties overrides of routes/application.properties (target wiring, activity ARNs, ports...)
     * @param routeFiles the route files of routes/ to load; all of them when none is given
     */
    public static ExampleApplication start(Properties properties, String... routeFiles) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:routes/application.properties");
        properties.forEach((key, value) -> main.addOverrideProperty((String) key, (String) value));
        if (routeFiles.length > 0) {
            main.addOverrideProperty("camel.main.routes-include-pattern",
                    String.join(",", java.util.Arrays.stream(routeFiles).map(f -> "file:routes/" + f).toList()));
        }
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            main.stop();
            throw new IllegalStateException("The example routes did not start: see the log above");
        }
        return new ExampleApplication(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
