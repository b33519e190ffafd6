/**
 * Baseline server: Spring MVC returning {@code Flux<ServerSentEvent<String>>} from a shared Reactor
 * sink, as Spring MVC users write it today.
 */
package io.github.ssestarter.benchmarks.server.flux;
