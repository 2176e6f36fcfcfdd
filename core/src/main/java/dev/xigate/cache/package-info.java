/**
 * The audio cache: keys over everything that changes the audio, a memory tier weighted by bytes, a bounded disk
 * tier that survives restarts, and the rules for what may be cached and when it is served.
 */
package dev.xigate.cache;
