// The small test harness both SDK scripts share: named checks that print one line each, plain assertions, a
// reader for the SDK's audio streams, and the summary line the JUnit runners read before the exit status.
import { ElevenLabsError } from "@elevenlabs/elevenlabs-js";

const results = [];

/** Runs one named check; a thrown error fails it without stopping the script. */
export async function check(name, body) {
    try {
        await body();
        results.push({ name, ok: true });
        console.log(`ok   ${name}`);
    } catch (error) {
        results.push({ name, ok: false, error: String(error?.stack ?? error) });
        console.log(`FAIL ${name}: ${error?.stack ?? error}`);
    }
}

/** Throws with the message when the condition is false. */
export function assert(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

/** Reads an SDK audio stream to its end: the bytes and how many chunks they came in. */
export async function readAll(stream) {
    const chunks = [];
    for await (const chunk of stream) {
        chunks.push(Buffer.from(chunk));
    }
    return { bytes: Buffer.concat(chunks), count: chunks.length };
}

/**
 * Awaits a call that must fail with the SDK's own error type and this HTTP status; status (optional) is the
 * body's detail.status, or the first entry's type for FastAPI's list-shaped 422 detail. With requestId, the
 * detail must also carry a request_id. Returns the error.
 */
export async function expectError(promise, statusCode, status, { requestId = false } = {}) {
    try {
        await promise;
    } catch (error) {
        assert(error instanceof ElevenLabsError, `expected ElevenLabsError, got ${error?.constructor?.name}`);
        assert(error.statusCode === statusCode, `expected status ${statusCode}, got ${error.statusCode}`);
        const detail = error.body?.detail;
        if (status !== undefined) {
            const actual = Array.isArray(detail) ? detail[0]?.type : detail?.status;
            assert(actual === status, `expected ${status}, got ${JSON.stringify(error.body)}`);
        }
        if (requestId) {
            assert(typeof detail?.request_id === "string", "request_id in the error body");
        }
        return error;
    }
    throw new Error(`expected a ${statusCode} error, got success`);
}

/** Prints the summary line and exits: 0 when every check passed, else 1. */
export function finish() {
    const failed = results.filter((result) => !result.ok);
    console.log(JSON.stringify({ passed: results.length - failed.length, failed: failed.length }));
    process.exit(failed.length === 0 ? 0 : 1);
}
