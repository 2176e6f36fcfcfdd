/**
 * Plan tiers, model families and the model catalog: which concurrency bucket a request counts against and how
 * large that bucket is on each ElevenLabs plan.
 */
package dev.xigate.plan;
