package dev.jsmtp.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the command in-process with captured streams, a chosen environment and home directory. */
final class TestCli {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Map<String, String> env = new HashMap<>();
    byte[] stdin = new byte[0];
    boolean stdinIsTerminal = true;
    boolean stderrIsTerminal;
    Cli.PasswordPrompt prompt;
    final Path home;
    int exit = -1;

    TestCli(Path home) {
        this.home = home;
    }

    Cli cli() {
        return new Cli(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, stdinIsTerminal, stderrIsTerminal, prompt,
                home);
    }

    int run(String... args) {
        return Main.run(args, cli());
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
