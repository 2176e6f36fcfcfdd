// Runs the official ElevenLabs JavaScript SDK, unmodified, against a simulator (or a gateway) at SIM_URL.
// Each check prints one line; the process exits non-zero when any check fails.
// Env: SIM_URL (base URL), SIM_KEY (an accepted key), SIM_ADMIN_URL (where /_sim lives; defaults to SIM_URL).
import { ElevenLabsClient } from "@elevenlabs/elevenlabs-js";
import { assert, check, expectError, finish, readAll } from "./harness.mjs";

const baseUrl = process.env.SIM_URL;
const apiKey = process.env.SIM_KEY ?? "sdk-key";
const adminUrl = process.env.SIM_ADMIN_URL ?? baseUrl;
const voiceId = "21m00Tcm4TlvDq8ikWAM";
if (!baseUrl) {
    console.error("SIM_URL is not set");
    process.exit(2);
}

const client = new ElevenLabsClient({ apiKey, baseUrl });

async function admin(path, body) {
    const response = await fetch(new URL(path, adminUrl), {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert(response.ok, `${path} answered ${response.status}`);
    return response.json();
}

await check("convert returns mp3", async () => {
    const audio = await client.textToSpeech.convert(voiceId, {
        text: "Hello from the official SDK.",
        modelId: "eleven_flash_v2_5",
        outputFormat: "mp3_44100_128",
    });
    const { bytes } = await readAll(audio);
    assert(bytes.length > 1000, `only ${bytes.length} bytes`);
    assert(bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0, "no MPEG frame sync at the start");
});

await check("convert withRawResponse exposes the headers", async () => {
    const { rawResponse } = await client.textToSpeech.convert(voiceId, {
        text: "Headers, please.",
        modelId: "eleven_multilingual_v2",
    }).withRawResponse();
    assert(rawResponse.headers.get("character-cost") === "16", "character-cost");
    assert(rawResponse.headers.get("maximum-concurrent-requests") !== null, "maximum-concurrent-requests");
    assert(rawResponse.headers.get("request-id") !== null, "request-id");
});

await check("stream returns chunked mp3", async () => {
    const audio = await client.textToSpeech.stream(voiceId, {
        text: "This sentence is streamed by the simulator in several chunks. ".repeat(4),
        modelId: "eleven_flash_v2_5",
    });
    const { bytes, count } = await readAll(audio);
    assert(count > 1, `only ${count} chunk(s)`);
    assert(bytes[0] === 0xff, "no MPEG frame sync at the start");
});

await check("convert with timestamps aligns characters", async () => {
    const response = await client.textToSpeech.convertWithTimestamps(voiceId, { text: "Aligned." });
    assert(response.audioBase64.length > 100, "audio_base64");
    assert(response.alignment.characters.join("") === "Aligned.", "alignment characters");
    assert(response.alignment.characterStartTimesSeconds.length === 8, "start times");
});

await check("speech to text transcribes a file", async () => {
    const audio = await client.textToSpeech.convert(voiceId, { text: "Something to transcribe, two seconds." });
    const { bytes } = await readAll(audio);
    const transcript = await client.speechToText.convert({
        file: new Blob([bytes], { type: "audio/mpeg" }),
        modelId: "scribe_v1",
    });
    assert(typeof transcript.text === "string" && transcript.text.length > 0, "text");
    assert(Array.isArray(transcript.words) && transcript.words.length > 0, "words");
});

await check("voices list and get", async () => {
    const voices = await client.voices.getAll();
    assert(voices.voices.length > 0, "no voices");
    assert(voices.voices.some((voice) => voice.voiceId === voiceId), "default voice missing");
    const voice = await client.voices.get(voiceId);
    assert(voice.name === "Rachel", `name ${voice.name}`);
});

await check("models list", async () => {
    const models = await client.models.list();
    const flash = models.find((model) => model.modelId === "eleven_flash_v2_5");
    assert(flash !== undefined, "eleven_flash_v2_5 missing");
    assert(flash.concurrencyGroup === "turbo", `concurrency group ${flash.concurrencyGroup}`);
});

await check("user and subscription", async () => {
    const subscription = await client.user.subscription.get();
    assert(subscription.tier === "pro", `tier ${subscription.tier}`);
    assert(subscription.characterCount > 0, "character_count did not grow");
    assert(subscription.characterLimit > subscription.characterCount, "character_limit");
    const user = await client.user.get();
    assert(user.subscription.tier === "pro", "user.subscription.tier");
});

await check("400 unknown voice is an ElevenLabsError", async () => {
    await expectError(client.textToSpeech.convert("no-such-voice", { text: "x" }, { maxRetries: 0 }), 400,
        "voice_not_found");
});

await check("401 invalid key is an ElevenLabsError", async () => {
    const stranger = new ElevenLabsClient({ apiKey: "not-an-accepted-key", baseUrl });
    await expectError(stranger.models.list({ maxRetries: 0 }), 401, "invalid_api_key");
});

await check("422 validation error keeps FastAPI's detail list", async () => {
    const error = await expectError(client.textToSpeech.convert(voiceId,
        { text: "x", voiceSettings: { speed: 5 } }, { maxRetries: 0 }), 422, "less_than_equal");
    assert(error.constructor.name === "UnprocessableEntityError", error.constructor.name);
    assert(JSON.stringify(error.body.detail[0].loc) === '["body","voice_settings","speed"]', "loc");
});

await check("429 concurrency limit is an ElevenLabsError without retry", async () => {
    await admin("/_sim/reset", {});
    const hold = await admin("/_sim/hold", { api_key: apiKey, family: "multilingual", slots: 10 });
    try {
        const error = await expectError(client.textToSpeech.convert(voiceId,
            { text: "x", modelId: "eleven_multilingual_v2" }, { maxRetries: 0 }), 429,
            "too_many_concurrent_requests");
        assert(error.body.detail.code === "concurrent_limit_exceeded", "code");
    } finally {
        await fetch(new URL(`/_sim/hold/${hold.hold_id}`, adminUrl), { method: "DELETE" });
    }
    const stats = await admin("/_sim/stats");
    assert(stats.families.multilingual.requests === 1, `requests ${stats.families.multilingual.requests}`);
});

await check("429 concurrency without Retry-After is retried with backoff: 3 attempts, then the error", async () => {
    await admin("/_sim/reset", {});
    const hold = await admin("/_sim/hold", { api_key: apiKey, family: "multilingual", slots: 10 });
    const started = Date.now();
    try {
        await expectError(client.textToSpeech.convert(voiceId, { text: "x", modelId: "eleven_multilingual_v2" }),
            429, "too_many_concurrent_requests");
    } finally {
        await fetch(new URL(`/_sim/hold/${hold.hold_id}`, adminUrl), { method: "DELETE" });
    }
    const elapsed = Date.now() - started;
    const stats = (await admin("/_sim/stats")).families.multilingual;
    assert(stats.requests === 3, `attempts ${stats.requests}`);
    assert(stats.concurrency_rejections === 3, `rejections ${stats.concurrency_rejections}`);
    assert(elapsed >= 2500, `gave up after ${elapsed} ms; the SDK backs off about 1 s then 2 s`);
});

await check("429 system_busy with Retry-After 1 is retried and then succeeds", async () => {
    await admin("/_sim/reset", {});
    await admin("/_sim/chaos", { fail_next: { system_busy: 1 }, retry_after_seconds: 1 });
    const started = Date.now();
    const audio = await client.textToSpeech.convert(voiceId, { text: "Retried.", modelId: "eleven_flash_v2_5" });
    await readAll(audio);
    const elapsed = Date.now() - started;
    await admin("/_sim/chaos", {});
    const stats = (await admin("/_sim/stats")).families.turbo_flash;
    assert(stats.requests === 2, `attempts ${stats.requests}`);
    assert(stats.responses["429"] === 1 && stats.responses["200"] === 1, JSON.stringify(stats.responses));
    assert(elapsed >= 900, `retried after ${elapsed} ms, before Retry-After`);
});

await check("500 is retried by the SDK's policy (3 attempts, then the error)", async () => {
    await admin("/_sim/reset", {});
    await admin("/_sim/chaos", { fail_next: { error_500: 3 } });
    const error = await expectError(client.textToSpeech.convert(voiceId,
        { text: "Failing.", modelId: "eleven_flash_v2_5" }), 500, "internal_server_error");
    assert(error.statusCode === 500, "status");
    const stats = (await admin("/_sim/stats")).families.turbo_flash;
    assert(stats.requests === 3, `attempts ${stats.requests}`);
});

finish();
