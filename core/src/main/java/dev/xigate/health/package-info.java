/**
 * Health checks and their aggregation into the answers of {@code /health/live} and {@code /health/ready}.
 */
package dev.xigate.health;
