package dev.xigate.bench.resilience;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.xigate.cache.AudioRequest;
import dev.xigate.cache.CacheKey;
import dev.xigate.cache.CachedAudio;
import dev.xigate.cache.MemoryAudioCache;
import dev.xigate.circuit.CircuitConfig;
import dev.xigate.circuit.CircuitPermission;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.circuit.SlowStart;
import dev.xigate.coalesce.BroadcastBuffer;
import dev.xigate.plan.ModelFamily;
import dev.xigate.retry.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.LoggerFactory;

/**
 * The per-request cost the resilience stages add before a text-to-speech call reaches the upstream: keying the
 * request (JSON parse, canonical form, SHA-256), a memory-cache lookup, a breaker permission with its record, and
 * the fan-out of one 256 KiB audio body to 1 or 20 readers of a broadcast buffer. All in one run, for ratios.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResilienceOverheadBenchmark {
    private static final String PATH = "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream?output_format=mp3_44100_128";

    /** Shared fixtures. */
    @State(Scope.Benchmark)
    public static class Fixtures {
        byte[] body;
        CacheKey key;
        MemoryAudioCache cache;
        FamilyCircuitBreakers breakers;

        @Setup
        public void setUp() {
            // Without a logback.xml the default is DEBUG, and Resilience4j logs every recorded call at DEBUG;
            // production runs at INFO, so measure that.
            ((Logger) LoggerFactory.getLogger("io.github.resilience4j")).setLevel(Level.INFO);
            body = ("{\"text\":\"The quick brown fox jumps over the lazy dog, twice, to be sure it is heard.\","
                    + "\"model_id\":\"eleven_flash_v2_5\",\"voice_settings\":{\"stability\":0.5,"
                    + "\"similarity_boost\":0.75},\"seed\":42}").getBytes(StandardCharsets.UTF_8);
            key = AudioRequest.parse(PATH, body).orElseThrow().key();
            cache = new MemoryAudioCache(64L << 20, Duration.ofHours(1), System::nanoTime);
            cache.put(key, new CachedAudio("audio/mpeg", new byte[64 * 1024], Instant.now()));
            breakers = new FamilyCircuitBreakers(CircuitConfig.ofDefaults(), Clock.systemUTC(),
                    new SlowStart(Duration.ZERO, System::nanoTime));
        }
    }

    /** The fan-out fixture: the number of readers and the chunk written. */
    @State(Scope.Benchmark)
    public static class FanOut {
        @Param({"1", "20"})
        int readers;
        byte[] chunk = new byte[16 * 1024];
    }

    /** Keys a request: parse the body, canonicalise, hash. */
    @Benchmark
    public CacheKey keyRequest(Fixtures f) {
        return AudioRequest.parse(PATH, f.body).orElseThrow().key();
    }

    /** Looks a key up in the memory tier (a hit). */
    @Benchmark
    public Object cacheHit(Fixtures f) {
        return f.cache.get(f.key).orElseThrow();
    }

    /** Takes a breaker permission and records a success. */
    @Benchmark
    public Object breakerPermitAndRecord(Fixtures f) {
        CircuitPermission permission = f.breakers.tryEnter(ModelFamily.TURBO_FLASH);
        ((CircuitPermission.Permitted) permission).call().record(Outcome.SUCCESS);
        return permission;
    }

    /** Writes 16 chunks of 16 KiB and reads them back through every reader. */
    @Benchmark
    public long broadcastFanOut(FanOut f) throws IOException {
        BroadcastBuffer buffer = new BroadcastBuffer(1 << 20);
        InputStream[] readers = new InputStream[f.readers];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = buffer.subscribe();
        }
        for (int i = 0; i < 16; i++) {
            buffer.write(f.chunk.clone());
        }
        buffer.complete();
        long total = 0;
        byte[] sink = new byte[16 * 1024];
        for (InputStream reader : readers) {
            int n;
            while ((n = reader.read(sink)) >= 0) {
                total += n;
            }
        }
        return total;
    }
}
