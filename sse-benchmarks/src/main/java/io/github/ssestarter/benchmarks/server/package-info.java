/**
 * What every server under test shares: the topic it implements, the server-side publisher and the
 * control endpoints of the benchmark contract.
 */
package io.github.ssestarter.benchmarks.server;
