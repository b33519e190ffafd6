/**
 * The {@code raw} server: the benchmark contract on plain {@code java.nio}, with no framework, no
 * servlet container and no library, as a floor for what the machine can do at all.
 */
package io.github.ssestarter.benchmarks.server.raw;
