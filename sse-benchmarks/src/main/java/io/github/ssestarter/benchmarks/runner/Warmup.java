package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Publishes at a modest rate for the warm-up time, so that the server's JIT has compiled the
 * delivery path before anything is measured, then waits until the warm-up's events have arrived:
 * a server that lags would otherwise still be delivering them when the first point starts, and
 * they would count there as duplicates (the point expects numbers after the warm-up's last).
 */
final class Warmup {

	private static final double RATE = 20;

	/** Stop waiting for the warm-up's events when none has arrived for this long. */
	private static final Duration QUIET = Duration.ofSeconds(2);

	/** Stop waiting for the warm-up's events after this long in any case. */
	private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

	private Warmup() {
	}

	static void run(ServerProcess server, LoadClient client, RunnerOptions options, int payloadSize) throws Exception {
		long count = Math.max(1, Math.round(RATE * options.warmup().toMillis() / 1000.0));
		long deliveredBefore = client.stats().delivered();
		long publishedBefore = server.control().stats().published();
		server.control().publish(count, RATE, payloadSize);
		Waits.finishPublishing(server, options.warmup().plusSeconds(10));
		long published = server.control().stats().published() - publishedBefore;
		Waits.awaitDeliveries(client, deliveredBefore + published * client.stats().open(), QUIET, DRAIN_LIMIT);
	}

}
