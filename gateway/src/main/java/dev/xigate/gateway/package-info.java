/** The xigate gateway: {@link dev.xigate.gateway.Gateway} runs the proxy and admin ports. */
package dev.xigate.gateway;
