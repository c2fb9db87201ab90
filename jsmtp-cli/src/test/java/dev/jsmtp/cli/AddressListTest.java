package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressListTest {

    @Test
    void splitsAtCommasOutsideQuotesBracketsAndComments() {
        assertThat(AddressList.split("a@example.org, b@example.org,c@example.org"))
                .containsExactly("a@example.org", "b@example.org", "c@example.org");
        assertThat(AddressList.split("\"Doe, John\" <john@example.org>, (team, ops) ops@example.org"))
                .containsExactly("\"Doe, John\" <john@example.org>", "(team, ops) ops@example.org");
        assertThat(AddressList.split("\"a\\\",b\" <q@example.org>")).containsExactly("\"a\\\",b\" <q@example.org>");
    }

    @Test
    void dropsEmptyItems() {
        assertThat(AddressList.split(" , a@example.org,, ")).containsExactly("a@example.org");
    }
}
