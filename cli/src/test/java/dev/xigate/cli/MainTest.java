package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEverySubcommand() {
        assertThat(Main.run("--help")).isZero();
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(Main.run("--no-such-option")).isEqualTo(2);
    }
}
