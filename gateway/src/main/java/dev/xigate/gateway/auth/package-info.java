/** Gateway client keys (stored as SHA-256) and request priorities. */
package dev.xigate.gateway.auth;
