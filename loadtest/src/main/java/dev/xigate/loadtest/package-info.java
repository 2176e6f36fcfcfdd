/**
 * The load, concurrency and chaos test tool behind {@code xigate loadtest}: arrival patterns (open and closed
 * loop), scenario mixes, latency recording with HdrHistogram, upstream concurrency validation, and the JSON and
 * HTML reports.
 */
package dev.xigate.loadtest;
