/**
 * The server built on this project's starter: its auto-configured {@code SseBroadcaster}, written
 * the way an application using the starter would; run on Spring MVC ({@code starter},
 * {@code starter-redis}) and on Spring WebFlux ({@code starter-webflux}).
 */
package io.github.ssestarter.benchmarks.server.starter;
