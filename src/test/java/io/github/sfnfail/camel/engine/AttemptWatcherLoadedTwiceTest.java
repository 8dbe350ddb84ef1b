package io.github.sfnfail.camel.engine;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component's jar loaded twice over one AWS SDK (two web applications, a plugin class loader): the SDK refuses two
 * execution attributes of one name, so each load names its own, and neither breaks.
 */
class AttemptWatcherLoadedTwiceTest {

    @Test
    void aSecondLoadOfTheJarOverTheSameSdkStartsAndWatchesOnItsOwn() throws Exception {
        // the first load: this class loader's
        assertThat(AttemptOutcomes.ATTEMPTS).isNotNull();
        URL componentClasses = AttemptOutcomes.class.getProtectionDomain().getCodeSource().getLocation();

        try (URLClassLoader second = new ComponentFirst(componentClasses, getClass().getClassLoader())) {
            Class<?> again = Class.forName(AttemptOutcomes.class.getName(), true, second);
            Class<?> watcher = Class.forName(AttemptWatcher.class.getName(), true, second);

            assertThat(again).isNotSameAs(AttemptOutcomes.class);
            assertThat(watcher.getDeclaredConstructor().newInstance()).isNotNull();
        }
        assertThat(new AttemptOutcomes().hadUnknownOutcome()).isFalse();
    }

    /** Loads the component's own classes itself and everything else (the SDK, Camel) from the parent. */
    private static final class ComponentFirst extends URLClassLoader {

        ComponentFirst(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.github.sfnfail.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
