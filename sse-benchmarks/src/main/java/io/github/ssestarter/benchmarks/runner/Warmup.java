package io.github.ssestarter.benchmarks.runner;

/**
 * Publishes at a modest rate for the warm-up time, so that the server's JIT has compiled the
 * delivery path before anything is measured.
 */
final class Warmup {

	private static final double RATE = 20;

	private Warmup() {
	}

	static void run(ServerProcess server, RunnerOptions options, int payloadSize) throws Exception {
		long count = Math.max(1, Math.round(RATE * options.warmup().toMillis() / 1000.0));
		server.control().publish(count, RATE, payloadSize);
		Waits.finishPublishing(server, options.warmup().plusSeconds(10));
		Thread.sleep(500);
	}

}
