/**
 * The ElevenLabs error shape: the bodies xigate's simulator and gateway answer with, so that official SDKs report
 * them like the real API's.
 */
package dev.xigate.error;
