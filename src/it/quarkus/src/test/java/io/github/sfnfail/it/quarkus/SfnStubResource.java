package io.github.sfnfail.it.quarkus;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.github.sfnfail.it.SfnStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the Step Functions stand-in before the application and points the component at it. */
public class SfnStubResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running stub. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Stub {
    }

    private SfnStub stub;

    @Override
    public Map<String, String> start() {
        try {
            stub = new SfnStub();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the Step Functions stub", e);
        }
        return Map.of("sfn.endpoint", stub.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stub, new TestInjector.AnnotatedAndMatchesType(Stub.class, SfnStub.class));
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
