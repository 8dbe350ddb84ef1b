package io.github.sfnfail.it.sdk;

import io.github.sfnfail.it.SdkVersionsOnClasspath;
import org.junit.jupiter.api.Test;

/** The component's tests beside this one ran on the newest SDK, every module of it. */
class NewestSdkTest {

    @Test
    void everyAwsSdkModuleResolvesAtTheNewestVersion() {
        SdkVersionsOnClasspath.assertAllAt(System.getProperty("expected.awssdk.version"));
    }
}
