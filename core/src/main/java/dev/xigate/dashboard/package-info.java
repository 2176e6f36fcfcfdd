/**
 * The live dashboard of the admin port: a self-contained page ({@link dev.xigate.dashboard.DashboardPage}) that polls
 * a JSON snapshot ({@link dev.xigate.dashboard.DashboardSnapshot}) built from the metrics registry by
 * {@link dev.xigate.dashboard.DashboardSampler}.
 */
package dev.xigate.dashboard;
