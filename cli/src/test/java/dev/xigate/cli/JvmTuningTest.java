package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JvmTuningTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(JvmTuning.POLLER_MODE);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(JvmTuning.POLLER_MODE);
        } else {
            System.setProperty(JvmTuning.POLLER_MODE, saved);
        }
    }

    @Test
    void choosesPlatformThreadPollersWhenNothingIsSet() {
        System.clearProperty(JvmTuning.POLLER_MODE);

        JvmTuning.apply();

        assertThat(System.getProperty(JvmTuning.POLLER_MODE)).isEqualTo("1");
    }

    @Test
    void leavesAnOperatorsOwnSettingAlone() {
        System.setProperty(JvmTuning.POLLER_MODE, "2");

        JvmTuning.apply();

        assertThat(System.getProperty(JvmTuning.POLLER_MODE)).isEqualTo("2");
    }
}
