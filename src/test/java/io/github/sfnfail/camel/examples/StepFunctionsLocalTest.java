package io.github.sfnfail.camel.examples;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The build needs Node.js and npm for the emulator: without them it fails saying so, it does not skip.
 */
class StepFunctionsLocalTest {

    @Test
    void missingNodeFailsTheBuildWithAMessageSayingWhatToInstall(@TempDir Path home) {
        assertThatThrownBy(() -> StepFunctionsLocal.start(home, "node-not-installed-here", "npm"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Node.js and npm on the PATH")
                .hasMessageContaining("install them");
    }

    @Test
    void missingNpmFailsTheBuildWithAMessageSayingWhatToInstall(@TempDir Path home) {
        assertThatThrownBy(() -> StepFunctionsLocal.start(home, "node", "npm-not-installed-here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Node.js and npm on the PATH");
    }
}
