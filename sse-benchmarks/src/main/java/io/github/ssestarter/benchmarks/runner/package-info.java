/**
 * Runs the scenarios: starts each server under test in its own JVM, drives it with the load
 * generator, samples its CPU and memory, and tabulates the results.
 */
package io.github.ssestarter.benchmarks.runner;
