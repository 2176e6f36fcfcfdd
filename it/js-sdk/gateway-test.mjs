// Runs the official ElevenLabs JavaScript SDK, unmodified, against the xigate gateway at GATEWAY_URL
// (with the simulator behind it). Each check prints one line; the process exits non-zero when any check fails.
// Env: GATEWAY_URL (gateway base URL), GATEWAY_KEY (a gateway client key), SIM_URL (the simulator, for /_sim/stats).
import { ElevenLabsClient } from "@elevenlabs/elevenlabs-js";
import { assert, check, expectError, finish, readAll } from "./harness.mjs";

const baseUrl = process.env.GATEWAY_URL;
const apiKey = process.env.GATEWAY_KEY;
const simUrl = process.env.SIM_URL;
const voiceId = "21m00Tcm4TlvDq8ikWAM";
if (!baseUrl || !apiKey || !simUrl) {
    console.error("GATEWAY_URL, GATEWAY_KEY and SIM_URL must be set");
    process.exit(2);
}

const client = new ElevenLabsClient({ apiKey, baseUrl, maxRetries: 0 });

async function simStats() {
    const response = await fetch(new URL("/_sim/stats", simUrl));
    return response.json();
}

// Gateway errors always carry the request id.
const expectGatewayError = (promise, statusCode, status) =>
    expectError(promise, statusCode, status, { requestId: true });

await check("convert returns mp3 through the gateway", async () => {
    const audio = await client.textToSpeech.convert(voiceId, { text: "Hello through the gateway.",
        modelId: "eleven_flash_v2_5" });
    const { bytes } = await readAll(audio);
    assert(bytes.length > 1000, `only ${bytes.length} bytes`);
    assert(bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0, "no MPEG frame sync at the start");
});

await check("raw response carries the gateway's and the upstream's ids", async () => {
    const { rawResponse } = await client.textToSpeech.convert(voiceId, { text: "Ids, please." },
        { headers: { "x-request-id": "sdk-request-1" } }).withRawResponse();
    assert(rawResponse.headers.get("x-request-id") === "sdk-request-1", "x-request-id reused");
    assert(rawResponse.headers.get("request-id") !== null, "upstream request-id passed through");
    assert(rawResponse.headers.get("x-xigate-queue-wait-ms") !== null, "queue wait header");
});

await check("stream arrives in several chunks", async () => {
    const audio = await client.textToSpeech.stream(voiceId, {
        text: "This sentence is streamed through the gateway in several chunks. ".repeat(4),
        modelId: "eleven_flash_v2_5",
    });
    const { bytes, count } = await readAll(audio);
    assert(count > 1, `only ${count} chunk(s)`);
    assert(bytes[0] === 0xff, "no MPEG frame sync at the start");
});

await check("convert with timestamps", async () => {
    const response = await client.textToSpeech.convertWithTimestamps(voiceId, { text: "Aligned." });
    assert(response.alignment.characters.join("") === "Aligned.", "alignment characters");
});

await check("speech to text uploads a multipart form", async () => {
    const audio = await client.textToSpeech.convert(voiceId, { text: "Something to transcribe, two seconds." });
    const { bytes } = await readAll(audio);
    const transcript = await client.speechToText.convert({
        file: new Blob([bytes], { type: "audio/mpeg" }),
        modelId: "scribe_v1",
    });
    assert(typeof transcript.text === "string" && transcript.text.length > 0, "text");
});

await check("voices, models, user and subscription", async () => {
    const voices = await client.voices.getAll();
    assert(voices.voices.some((voice) => voice.voiceId === voiceId), "default voice missing");
    const models = await client.models.list();
    assert(models.some((model) => model.modelId === "eleven_flash_v2_5"), "eleven_flash_v2_5 missing");
    const subscription = await client.user.subscription.get();
    assert(typeof subscription.tier === "string", "tier");
});

await check("an over-limit burst is queued by the gateway, not refused", async () => {
    const before = (await simStats()).families.multilingual;
    const calls = [];
    for (let i = 0; i < 25; i++) {
        calls.push(client.textToSpeech.convert(voiceId, { text: `Burst request ${i}.`,
            modelId: "eleven_multilingual_v2" }).then(readAll));
    }
    const all = await Promise.all(calls);
    assert(all.every(({ bytes }) => bytes.length > 0), "empty audio");
    const after = (await simStats()).families.multilingual;
    assert(after.concurrency_rejections === before.concurrency_rejections,
        `upstream saw ${after.concurrency_rejections - before.concurrency_rejections} 429s`);
    assert(after.max_concurrency <= after.limit, `max concurrency ${after.max_concurrency} > ${after.limit}`);
});

await check("priority header passes through the SDK's headers option", async () => {
    const urgent = new ElevenLabsClient({ apiKey, baseUrl, maxRetries: 0, headers: { "x-xigate-priority": "high" } });
    const audio = await urgent.textToSpeech.convert(voiceId, { text: "Urgent." });
    await readAll(audio);
});

await check("401 for an unknown gateway key", async () => {
    const stranger = new ElevenLabsClient({ apiKey: "not-a-gateway-key", baseUrl, maxRetries: 0 });
    await expectGatewayError(stranger.models.list(), 401, "invalid_api_key");
});

await check("404 for a path outside the allowlist", async () => {
    await expectGatewayError(client.pronunciationDictionaries.list(), 404, "not_found");
});

finish();
