/**
 * The HTTP contract and event format shared by every server under test and by the load generator.
 */
package io.github.ssestarter.benchmarks.protocol;
