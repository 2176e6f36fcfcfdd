/**
 * The request path on the proxy port: allowlist, authentication, classification by model family, admission in the
 * limiter, streaming of the upstream response, access records.
 */
package dev.xigate.gateway.proxy;
