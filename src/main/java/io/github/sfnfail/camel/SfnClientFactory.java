package io.github.sfnfail.camel;

import java.util.concurrent.Executor;

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

    /**
     * @param replies Camel threads of the endpoint's on which the client should complete its calls (its future
     *                completion executor), so that the route goes on on them rather than on the SDK's threads; a
     *                factory that ignores it leaves the SDK's
     * @return a new client; the endpoint owns it and closes it when it stops
     */
    default SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration, Executor replies) {
        return createAsyncClient(configuration);
    }
}
