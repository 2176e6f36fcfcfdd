package dev.xigate.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanTierTest {

    @ParameterizedTest
    @CsvSource({
        "free, 2, 4, 8, 0",
        "starter, 3, 6, 12, 2",
        "creator, 5, 10, 20, 2",
        "pro, 10, 20, 40, 2",
        "scale, 15, 30, 60, 3",
        "business, 15, 30, 60, 3"
    })
    void limitsMatchTheSeedTable(String tier, int multilingual, int turbo, int stt, int music) {
        PlanTier plan = PlanTier.fromLabel(tier);

        assertThat(plan.concurrencyLimit(ModelFamily.MULTILINGUAL)).isEqualTo(multilingual);
        assertThat(plan.concurrencyLimit(ModelFamily.TURBO_FLASH)).isEqualTo(turbo);
        assertThat(plan.concurrencyLimit(ModelFamily.STT)).isEqualTo(stt);
        assertThat(plan.concurrencyLimit(ModelFamily.MUSIC)).isEqualTo(music);
    }

    @Test
    void unknownTierNamesTheChoices() {
        assertThatThrownBy(() -> PlanTier.fromLabel("gold"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plan tier: gold"
                        + " (expected: one of free, starter, creator, pro, scale, business, enterprise)");
    }

    @Test
    void catalogPlacesUnknownModelsByName() {
        ModelCatalog catalog = ModelCatalog.standard();

        assertThat(catalog.familyOf("eleven_multilingual_v2")).isEqualTo(ModelFamily.MULTILINGUAL);
        assertThat(catalog.familyOf("eleven_flash_v2_5")).isEqualTo(ModelFamily.TURBO_FLASH);
        assertThat(catalog.familyOf("eleven_flash_v9")).isEqualTo(ModelFamily.TURBO_FLASH);
        assertThat(catalog.familyOf("scribe_v3")).isEqualTo(ModelFamily.STT);
        assertThat(catalog.familyOf("something_else")).isEqualTo(ModelFamily.DEFAULT);
        assertThat(catalog.find("eleven_flash_v2_5").orElseThrow().creditsFor(11)).isEqualTo(6);
    }
}
