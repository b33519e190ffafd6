/**
 * Baseline server: a hand-written {@code SseEmitter} broadcaster, as Spring MVC users write it today.
 */
package io.github.ssestarter.benchmarks.server.emitter;
