/** The gateway configuration: YAML file mapped to records, validated with messages naming each field. */
package dev.xigate.gateway.config;
