package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Bounded waits on the load generator's progress.
 */
final class Waits {

	private static final long POLL_MILLIS = 10;

	private Waits() {
	}

	/**
	 * Waits until the given number of streams are open, giving up when no new one has opened for
	 * {@code stall} or after {@code max}.
	 * @return whether all are open
	 */
	static boolean awaitOpen(LoadClient client, int target, Duration stall, Duration max) throws InterruptedException {
		return awaitProgress(client.stats()::open, target, stall, max);
	}

	/**
	 * Waits until the server reports at least the given number of subscribers: a request sent is
	 * not yet a subscription, and events published before the server has registered it are missed.
	 * @return whether it did within the time
	 */
	static boolean awaitSubscribers(ServerProcess server, int target, Duration max) throws Exception {
		long deadline = System.nanoTime() + max.toNanos();
		while (server.control().stats().subscribers() < target) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(POLL_MILLIS * 5);
		}
		return true;
	}

	/**
	 * Waits until the delivered count reaches the target, giving up when nothing has arrived for
	 * {@code quiet} or after {@code max}.
	 * @return whether the target was reached
	 */
	static boolean awaitDeliveries(LoadClient client, long target, Duration quiet, Duration max)
			throws InterruptedException {
		return awaitProgress(client.stats()::delivered, target, quiet, max);
	}

	/**
	 * Waits until the caught-up count reaches the target, or at most {@code max}.
	 * @return whether it did
	 */
	static boolean awaitCaughtUp(LoadClient client, long target, Duration max) throws InterruptedException {
		return awaitProgress(client.stats()::caughtUp, target, max, max);
	}

	private static boolean awaitProgress(Counter counter, long target, Duration stall, Duration max)
			throws InterruptedException {
		long start = System.nanoTime();
		long lastProgress = start;
		long last = counter.value();
		while (last < target) {
			Thread.sleep(POLL_MILLIS);
			long now = System.nanoTime();
			long current = counter.value();
			if (current > last) {
				last = current;
				lastProgress = now;
			}
			else if (now - lastProgress > stall.toNanos() || now - start > max.toNanos()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Waits for the publisher of a server to finish, stopping it when it takes longer than the
	 * given time.
	 * @return whether it has finished
	 */
	static boolean finishPublishing(ServerProcess server, Duration timeout) throws Exception {
		if (server.control().awaitPublisherIdle(timeout)) {
			return true;
		}
		server.control().stopPublishing();
		return server.control().awaitPublisherIdle(Duration.ofSeconds(10));
	}

	@FunctionalInterface
	private interface Counter {

		long value();

	}

}
