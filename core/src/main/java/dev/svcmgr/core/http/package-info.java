/**
 * The status page, {@code /metrics} and {@code /api} of {@code daemon --http} (cli.md "The status page
 * and metrics"), on the JDK's HTTP server: read-only, made from the control protocol's replies through
 * one port, {@link dev.svcmgr.core.http.StatusServer.Backend}, which the daemon implements.
 */
package dev.svcmgr.core.http;
