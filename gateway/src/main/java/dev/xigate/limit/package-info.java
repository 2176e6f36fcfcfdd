/** Temporary copy of the limiter contract (LIMITER_API.md); deleted when the limit branch is merged. */
package dev.xigate.limit;
