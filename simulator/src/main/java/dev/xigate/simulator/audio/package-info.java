/**
 * Valid audio of any length in the ElevenLabs output formats (MP3 frames, PCM, WAV, G.711, Ogg Opus), and a cheap
 * duration probe for uploaded files.
 */
package dev.xigate.simulator.audio;
