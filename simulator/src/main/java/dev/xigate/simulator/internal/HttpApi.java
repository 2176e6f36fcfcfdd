package dev.xigate.simulator.internal;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the HTTP routing of the simulated API and of its {@code /_sim} controls. */
public final class HttpApi {
    private static final Logger logger = LoggerFactory.getLogger(HttpApi.class);
    private static final List<Pattern> KNOWN_PATHS = List.of(
            Pattern.compile("/v1/text-to-speech/[^/]+(/stream)?(/with-timestamps)?"),
            Pattern.compile("/v1/(speech-to-text|sound-generation|music|music/stream|models|voices|user"
                    + "|user/subscription)"),
            Pattern.compile("/v1/voices/[^/]+"),
            Pattern.compile("/v2/voices"),
            Pattern.compile("/_sim/(stats|reset|chaos|hold)"));

    private final SimulatorEngine engine;

    private HttpApi(SimulatorEngine engine) {
        this.engine = engine;
    }

    /** Returns the routing of an engine. */
    public static HttpRouting.Builder routing(SimulatorEngine engine) {
        HttpApi api = new HttpApi(engine);
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.post("/v1/text-to-speech/{voice_id}", api.handler(SpeechRoutes::convert));
        routing.post("/v1/text-to-speech/{voice_id}/stream", api.handler(SpeechRoutes::stream));
        routing.post("/v1/text-to-speech/{voice_id}/with-timestamps", api.handler(SpeechRoutes::withTimestamps));
        routing.post("/v1/text-to-speech/{voice_id}/stream/with-timestamps",
                api.handler(SpeechRoutes::streamWithTimestamps));
        routing.post("/v1/speech-to-text", api.handler(TranscriptionRoutes::transcribe));
        routing.post("/v1/sound-generation", api.handler(SoundRoutes::soundEffect));
        routing.post("/v1/music", api.handler(SoundRoutes::music));
        routing.post("/v1/music/stream", api.handler(SoundRoutes::musicStream));
        routing.get("/v1/voices", api.handler(AccountRoutes::voices));
        routing.get("/v2/voices", api.handler(AccountRoutes::voicesV2));
        routing.get("/v1/voices/{voice_id}", api.handler(AccountRoutes::voice));
        routing.get("/v1/models", api.handler(AccountRoutes::models));
        routing.get("/v1/user", api.handler(AccountRoutes::user));
        routing.get("/v1/user/subscription", api.handler(AccountRoutes::subscription));
        routing.get("/_sim/stats", api.handler(AdminRoutes::stats));
        routing.post("/_sim/reset", api.handler(AdminRoutes::reset));
        routing.get("/_sim/chaos", api.handler(AdminRoutes::getChaos));
        routing.post("/_sim/chaos", api.handler(AdminRoutes::postChaos));
        routing.post("/_sim/hold", api.handler(AdminRoutes::hold));
        routing.delete("/_sim/hold/{hold_id}", api.handler(AdminRoutes::release));
        routing.any(api.handler(HttpApi::unknown));
        return routing;
    }

    private static void unknown(Exchange exchange) {
        exchange.engine().recorder().otherRequest();
        String path = exchange.request().path().path();
        boolean known = KNOWN_PATHS.stream().anyMatch(pattern -> pattern.matcher(path).matches());
        throw known ? Errors.methodNotAllowed() : Errors.notFound();
    }

    Handler handler(Endpoint endpoint) {
        return (request, response) -> {
            Exchange exchange = new Exchange(request, response, engine);
            try {
                endpoint.handle(exchange);
            } catch (SimFailure failure) {
                if (response.isSent()) {
                    throw new CloseConnectionException("answer already started", failure);
                }
                exchange.fail(failure);
            } catch (ResetException e) {
                exchange.countRequest();
                throw new CloseConnectionException("injected reset", e);
            } catch (UncheckedIOException e) {
                throw new CloseConnectionException("client connection failed", e);
            } catch (CloseConnectionException e) {
                throw e;
            } catch (RuntimeException e) {
                logger.warn("{} Simulator handler failed path={}", exchange.requestId(), request.path().path(), e);
                if (response.isSent()) {
                    throw new CloseConnectionException("handler failed after answering", e);
                }
                exchange.fail(Errors.internalError());
            }
        };
    }
}
