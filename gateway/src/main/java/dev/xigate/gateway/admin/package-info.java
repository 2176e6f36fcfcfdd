/** The admin port's routes: liveness built in, metrics, readiness and dashboard registered by other modules. */
package dev.xigate.gateway.admin;
