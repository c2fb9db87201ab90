package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerAddressTest {

    @Test
    void hostAndPort() {
        assertThat(ServerAddress.parse("smtp.example.org:587"))
                .isEqualTo(new ServerAddress("smtp.example.org", OptionalInt.of(587)));
        assertThat(ServerAddress.parse("smtp.example.org"))
                .isEqualTo(new ServerAddress("smtp.example.org", OptionalInt.empty()));
    }

    @Test
    void ipv6InBracketsOrBare() {
        assertThat(ServerAddress.parse("[::1]:2525")).isEqualTo(new ServerAddress("::1", OptionalInt.of(2525)));
        assertThat(ServerAddress.parse("[::1]")).isEqualTo(new ServerAddress("::1", OptionalInt.empty()));
        assertThat(ServerAddress.parse("2001:db8::25")).isEqualTo(new ServerAddress("2001:db8::25", OptionalInt.empty()));
        assertThat(ServerAddress.parse("[::1]:25").toString()).isEqualTo("[::1]:25");
    }

    @Test
    void badPortsAndHosts() {
        assertThatThrownBy(() -> ServerAddress.parse("h:0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ServerAddress.parse("h:65536")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ServerAddress.parse("h:smtp")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ServerAddress.parse(":25")).hasMessageContaining("empty host");
        assertThatThrownBy(() -> ServerAddress.parse("evil\r\nhost")).hasMessageContaining("control");
        assertThatThrownBy(() -> ServerAddress.parse("[::1")).hasMessageContaining("]");
    }
}
