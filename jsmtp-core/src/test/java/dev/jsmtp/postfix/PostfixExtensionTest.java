package dev.jsmtp.postfix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;

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

    @Test
    void theLastLiveTestRunMayStopASharedInstance(@TempDir Path state) throws Exception {
        Path runs = Files.createDirectories(state.resolve("test-runs"));
        Files.writeString(runs.resolve(Long.toString(ProcessHandle.current().pid())), "");
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.writeString(runs.resolve(Long.toString(ended.pid())), "");

        assertThat(PostfixExtension.release(state)).isTrue();
        assertThat(runs.resolve(Long.toString(ProcessHandle.current().pid()))).doesNotExist();
    }

    @Test
    void aSharedInstanceIsNotStoppedWhileAnotherRunIsAlive(@TempDir Path state) throws Exception {
        Path runs = Files.createDirectories(state.resolve("test-runs"));
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(runs.resolve(Long.toString(alive.pid())), "");
            assertThat(PostfixExtension.release(state)).isFalse();
        } finally {
            alive.destroy();
        }
    }
}
