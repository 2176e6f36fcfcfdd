/** The TTS input-streaming WebSocket pass-through. */
package dev.xigate.gateway.ws;
