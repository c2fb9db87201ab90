package dev.jsmtp.postfix;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;

class PostfixExtensionTest {

    @Test
    void aMachineThatCannotRunPostfixSkipsTheTests() {
        assertThat(PostfixExtension.cannotRun("needs root", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs root");
    }

    @Test
    void onCiTheSameSituationIsAFailureNotASkip() {
        assertThat(PostfixExtension.cannotRun("needs root", true))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs root")
                .hasMessageContaining("CI=true");
    }
}
