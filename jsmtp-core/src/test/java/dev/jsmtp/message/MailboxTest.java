package dev.jsmtp.message;

import dev.jsmtp.Path;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailboxTest {

    @Test
    void bareAddress() {
        Mailbox m = Mailbox.parse("jane@example.org");
        assertThat(m.displayName()).isEmpty();
        assertThat(m.path()).isEqualTo(Path.of("jane@example.org"));
    }

    @Test
    void displayNameWithAngleAddress() {
        Mailbox m = Mailbox.parse("  Jane Q. Public <jane@example.org> ");
        assertThat(m.displayName()).hasValue("Jane Q. Public");
        assertThat(m.path().toString()).isEqualTo("jane@example.org");
    }

    @Test
    void quotedDisplayNameKeepsCommasAndEscapes() {
        Mailbox m = Mailbox.parse("\"Doe, Jane \\\"JD\\\"\" <jane@example.org>");
        assertThat(m.displayName()).hasValue("Doe, Jane \"JD\"");
    }

    @Test
    void commentsAreSkippedAndATrailingCommentNamesABareAddress() {
        assertThat(Mailbox.parse("jane@example.org (Jane Doe)").displayName()).hasValue("Jane Doe");
        Mailbox m = Mailbox.parse("Jane (the (nested) author) <jane@example.org>");
        assertThat(m.displayName()).hasValue("Jane");
    }

    @Test
    void encodedWordDisplayNameIsDecoded() {
        Mailbox m = Mailbox.parse("=?UTF-8?B?5b6e6Zu26ZaL5aeL?= =?UTF-8?Q?_SMTP?= <a@example.org>");
        assertThat(m.displayName()).hasValue("從零開始 SMTP");
    }

    @Test
    void listWithGroupsReturnsTheMembers() {
        List<Mailbox> all = Mailbox.parseList("Team: a@example.org, \"C, D\" <c@example.org>;, e@example.org, "
                + "undisclosed-recipients:;");
        assertThat(all).extracting(m -> m.path().toString())
                .containsExactly("a@example.org", "c@example.org", "e@example.org");
        assertThat(all.get(1).displayName()).hasValue("C, D");
    }

    @Test
    void quotedLocalPartIsKeptQuotedUnlessItIsADotAtom() {
        assertThat(Mailbox.parse("\"john doe\"@example.org").path().localPart()).isEqualTo("\"john doe\"");
        assertThat(Mailbox.parse("\"john.doe\"@example.org").path().localPart()).isEqualTo("john.doe");
    }

    @Test
    void internationalAddresses() {
        Mailbox m = Mailbox.parse("用户 <用户@例子.广告>");
        assertThat(m.requiresSmtpUtf8()).isTrue();
        Mailbox idn = Mailbox.parse("bob@bücher.example");
        assertThat(idn.requiresSmtpUtf8()).isFalse();
        assertThat(idn.format(false)).isEqualTo("bob@xn--bcher-kva.example");
        assertThat(idn.format(true)).isEqualTo("bob@bücher.example");
    }

    @Test
    void formatQuotesOrEncodesTheDisplayNameOnlyWhenNeeded() {
        Path p = Path.of("j@example.org");
        assertThat(Mailbox.of("Jane Doe", p).format(false)).isEqualTo("Jane Doe <j@example.org>");
        assertThat(Mailbox.of("Doe, Jane", p).format(false)).isEqualTo("\"Doe, Jane\" <j@example.org>");
        assertThat(Mailbox.of("Back\\slash \"q\"", p).format(false))
                .isEqualTo("\"Back\\\\slash \\\"q\\\"\" <j@example.org>");
        // B or Q, whichever is shorter
        assertThat(Mailbox.of("Jörg", p).format(false)).isEqualTo("=?UTF-8?B?SsO2cmc=?= <j@example.org>");
        assertThat(Mailbox.of("Jörgensen Andersson", p).format(false))
                .isEqualTo("=?UTF-8?Q?J=C3=B6rgensen_Andersson?= <j@example.org>");
        assertThat(Mailbox.of("Jörg", p).format(true)).isEqualTo("Jörg <j@example.org>");
        assertThat(Mailbox.of("=?looks encoded?=", p).format(false)).startsWith("=?UTF-8?");
    }

    @Test
    void formattedMailboxesParseBackToThemselves() {
        for (String name : List.of("Jane", "Doe, Jane", "a \"quote\"", "Jörg Müller", "從零開始的 SMTP：以 Python 為例",
                "😀 emoji", "שלום", "(not a comment)", "x".repeat(100))) {
            Mailbox m = Mailbox.of(name, Path.of("j@example.org"));
            assertThat(Mailbox.parse(m.format(false))).as(name).isEqualTo(m);
            assertThat(Mailbox.parse(m.format(true))).as(name).isEqualTo(m);
        }
    }

    @Test
    void errorsNameTheProblem() {
        assertThatThrownBy(() -> Mailbox.parse("no-at-sign")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing '@'");
        assertThatThrownBy(() -> Mailbox.parse("\"open <a@b.org>")).hasMessageContaining("unterminated quoted");
        assertThatThrownBy(() -> Mailbox.parse("a@example.org, b@example.org"))
                .hasMessageContaining("expected one mailbox but found 2");
        assertThatThrownBy(() -> Mailbox.parse("Jane <jane@exa mple.org>"))
                .hasMessageContaining("labels of a domain must be joined by '.'");
        assertThatThrownBy(() -> Mailbox.parse("ja ne@example.org"))
                .hasMessageContaining("local part must be joined");
        assertThatThrownBy(() -> Mailbox.of("Evil\r\nBcc: x@y.org", Path.of("a@b.org")))
                .hasMessageContaining("CR, LF or NUL").hasMessageContaining("\\r\\n");
        assertThatThrownBy(() -> Mailbox.parse("a@b.org\r\nBcc: x@y.org")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
