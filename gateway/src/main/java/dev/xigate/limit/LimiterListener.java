package dev.xigate.limit;

/** Temporary copy of the limiter contract; replaced by the limit branch at merge. */
public interface LimiterListener {
}
