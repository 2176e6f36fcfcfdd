package dev.xigate.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
    private static final Map<String, List<String>> ZERO_RETENTION = Map.of("enable_logging", List.of("False"));

    @Test
    void cachesOrdinaryRequests() {
        CachePolicy policy = new CachePolicy(CacheConfig.ofDefaults());

        assertThat(policy.isCacheable(Map.of(), CacheDirective.DEFAULT)).isTrue();
        assertThat(policy.isCacheable(Map.of("enable_logging", List.of("true")), CacheDirective.PREFER)).isTrue();
    }

    @Test
    void neverCachesZeroRetentionUnlessAllowed() {
        CacheConfig allowing = new CacheConfig(true, 1000, null, 1000, CacheConfig.DEFAULT_MAX_AGE, 1000, true);

        assertThat(new CachePolicy(CacheConfig.ofDefaults()).isCacheable(ZERO_RETENTION, CacheDirective.PREFER))
                .isFalse();
        assertThat(new CachePolicy(allowing).isCacheable(ZERO_RETENTION, CacheDirective.DEFAULT)).isTrue();
    }

    @Test
    void bypassAndDisabledCacheNothing() {
        CacheConfig disabled = new CacheConfig(false, 1000, null, 1000, CacheConfig.DEFAULT_MAX_AGE, 1000, true);

        assertThat(new CachePolicy(CacheConfig.ofDefaults()).isCacheable(Map.of(), CacheDirective.BYPASS)).isFalse();
        assertThat(new CachePolicy(disabled).isCacheable(Map.of(), CacheDirective.DEFAULT)).isFalse();
    }

    @Test
    void entryLimitBoundsStoredSize() {
        CachePolicy policy = new CachePolicy(CacheConfig.ofDefaults());

        assertThat(policy.fits(CacheConfig.DEFAULT_MAX_ENTRY_BYTES)).isTrue();
        assertThat(policy.fits(CacheConfig.DEFAULT_MAX_ENTRY_BYTES + 1)).isFalse();
    }

    @Test
    void parsesDirectiveHeader() {
        assertThat(CacheDirective.parse(null)).isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.parse(" Prefer ")).isEqualTo(CacheDirective.PREFER);
        assertThat(CacheDirective.parse("bypass")).isEqualTo(CacheDirective.BYPASS);
        assertThatThrownBy(() -> CacheDirective.parse("always"))
                .hasMessage("x-xigate-cache: always (expected: one of prefer, bypass)");
    }
}
