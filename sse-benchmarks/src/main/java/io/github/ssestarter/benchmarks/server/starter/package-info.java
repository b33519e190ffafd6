/**
 * The server built on this project's starter: its auto-configured {@code SseBroadcaster}, written
 * the way an application using the starter would.
 */
package io.github.ssestarter.benchmarks.server.starter;
