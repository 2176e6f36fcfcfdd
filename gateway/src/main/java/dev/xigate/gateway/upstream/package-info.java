/** The upstream pipeline: the {@link dev.xigate.gateway.upstream.UpstreamCall} seam, interceptors, HTTP call. */
package dev.xigate.gateway.upstream;
