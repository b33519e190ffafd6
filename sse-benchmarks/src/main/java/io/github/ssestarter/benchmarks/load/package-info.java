/**
 * The load generator: many SSE connections on plain non-blocking sockets, a streaming HTTP and SSE
 * parser, and per-connection checks of event order, loss and latency.
 */
package io.github.ssestarter.benchmarks.load;
