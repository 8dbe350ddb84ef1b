package io.github.sfnfail.camel.observe;

import java.util.function.DoubleSupplier;

/**
 * A figure an endpoint shows as a Micrometer meter beside its answer counters (the activity consumer's polls and
 * tasks), described without Micrometer's types so that the endpoint loads without Micrometer.
 *
 * @param name      the meter's name after the scheme's prefix ("polls.open")
 * @param monotonic a counter when true, else a gauge
 */
public record MeterFigure(String name, String description, boolean monotonic, DoubleSupplier value) {
}
