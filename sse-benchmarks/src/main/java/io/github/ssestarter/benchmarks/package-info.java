/**
 * Benchmarks of the SSE starter against the ways Spring MVC applications serve Server-Sent Events
 * today; {@link io.github.ssestarter.benchmarks.BenchmarkRunner} is the entry point.
 */
package io.github.ssestarter.benchmarks;
