package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendArgumentsTest {

    @TempDir
    Path home;

    @Test
    void everyOptionPicocliKnowsIsParsedToTheSameFields() throws Exception {
        List<OptionSpec> options = new CommandLine(new SendCommand(cli())).getCommandSpec().options();
        int checked = 0;
        for (OptionSpec option : options) {
            if (option.usageHelp()) {
                continue;
            }
            for (String name : option.names()) {
                if (option.arity().max() == 0) {
                    assertSameAsPicocli(name);
                } else {
                    String sample = option.type() == Integer.class ? "30" : "v@example.org";
                    assertSameAsPicocli(name, sample);
                    if (name.startsWith("--")) {
                        assertSameAsPicocli(name + "=" + sample);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void aTypicalCommandLineWithRepeatedRecipientsAndEmptyOrDashValues() throws Exception {
        assertSameAsPicocli("--server", "smtp.example.org:587", "-u", "me@example.org", "--password-cmd",
                "pass show mail", "-f", "me@example.org", "--to", "a@example.net,b@example.net", "-t", "c@example.net",
                "--cc", "d@example.net", "--bcc", "e@example.net", "--subject", "", "--body=hi=there", "--attach", "a.txt",
                "--attach", "b.pdf", "--header", "X-A: 1", "--header", "X-B: 2", "--eml", "-", "--timeout", "5",
                "-v", "--json", "--allow-partial", "--allow-cleartext-auth", "--insecure-skip-verify");
        assertSameAsPicocli();
    }

    @Test
    void flagsMayBeRepeatedAndValuesMayStartWithADash() throws Exception {
        assertSameAsPicocli("-v", "-v", "--transcript", "--json", "--json", "--allow-partial", "--allow-partial");
        assertSameAsPicocli("--subject=--json", "--body", "-v", "--header", "--X: y", "--body-file", "-",
                "--attach", "-");
        SendCommand s = SendArguments.parse(new String[] {"--subject", "-v", "--body=--json", "-v", "-v"}, cli());
        assertThat(s.subject).isEqualTo("-v");
        assertThat(s.body).isEqualTo("--json");
        assertThat(s.connection.transcript).isTrue();
        assertThat(s.json).isFalse();
    }

    @Test
    void aSingleValuedOptionGivenTwiceIsStillRefusedByBoth() {
        String[] args = {"--subject", "a", "--subject=b"};
        assertThat(SendArguments.parse(args, cli())).isNull();
        assertThatThrownBy(() -> PicocliRules.parse(new CommandLine(new SendCommand(cli())), args))
                .isInstanceOf(CommandLine.OverwrittenOptionException.class)
                .hasMessage("option '--subject' (TEXT) should be specified only once, not as a and b");
    }

    @Test
    void anythingPicocliRefusesIsLeftToIt() {
        String[][] refused = {
            {"--frmo", "a@example.org"},
            {"--from", "a@example.org", "--from", "b@example.org"},
            {"--subject"},
            {"--subject", "--to", "b@example.org"},
            {"--timeout", "soon"},
            {"stray"},
        };
        for (String[] args : refused) {
            assertThat(SendArguments.parse(args, cli())).as(String.join(" ", args)).isNull();
            assertThatThrownBy(() -> PicocliRules.parse(new CommandLine(new SendCommand(cli())), args))
                    .as(String.join(" ", args)).isInstanceOf(CommandLine.ParameterException.class);
        }
    }

    @Test
    void helpClustersArgumentFilesEndOfOptionsAndFlagValuesAreLeftToPicocli() {
        String[][] unusual = {{"--help"}, {"-h"}, {"-vt", "b@example.org"}, {"-fa@example.org"},
            {"@args.txt"}, {"--to", "@list"}, {"--", "x"}, {"-f=a@example.org"},
            {"--json=false"}};
        for (String[] args : unusual) {
            assertThat(SendArguments.parse(args, cli())).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void helpStillComesFromPicocli() {
        TestCli t = new TestCli(home);
        assertThat(t.run("send", "--help")).isZero();
        assertThat(t.out()).contains("Usage: jsmtp send", "--quit-after=STAGE", "Examples:");
    }

    private void assertSameAsPicocli(String... args) throws Exception {
        SendCommand fast = SendArguments.parse(args, cli());
        assertThat(fast).as("fast parse of %s", List.of(args)).isNotNull();
        SendCommand slow = new SendCommand(cli());
        PicocliRules.parse(new CommandLine(slow), args);
        assertThat(fields(fast)).as(String.join(" ", args)).isEqualTo(fields(slow));
    }

    /** The values of every option field of the command and its mixins, by name. */
    private static Map<String, Object> fields(SendCommand send) throws IllegalAccessException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Object holder : List.of(send, send.connection, send.auth)) {
            for (Field f : holder.getClass().getDeclaredFields()) {
                if (f.isAnnotationPresent(CommandLine.Option.class)) {
                    f.setAccessible(true);
                    Object v = f.get(holder);
                    values.put(holder.getClass().getSimpleName() + "." + f.getName(),
                            v instanceof List<?> l ? new ArrayList<>(l) : v);
                }
            }
        }
        return values;
    }

    private Cli cli() {
        return new TestCli(home).cli();
    }
}
