package io.github.sfnfail.camel;

import software.amazon.awssdk.services.sfn.SfnAsyncClient;

/**
 * Builds the Step Functions client of an endpoint that was not given one. Replaceable (option clientFactory of the
 * component) for users who need a client setting the options do not cover.
 */
@FunctionalInterface
public interface SfnClientFactory {

    /**
     * @return a new client; the endpoint owns it and closes it when it stops
     */
    SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration);
}
