/**
 * Baseline server: a controller returning {@code Flux<ServerSentEvent<String>>} from a shared
 * Reactor sink, as Spring users write it today; run on Spring MVC ({@code flux}) and on Spring
 * WebFlux ({@code flux-webflux}).
 */
package io.github.ssestarter.benchmarks.server.flux;
