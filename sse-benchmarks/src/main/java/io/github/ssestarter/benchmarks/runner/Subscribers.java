package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;

import io.github.ssestarter.benchmarks.load.ConnectionGroup;
import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Opens a scenario's subscribers and waits until the server holds them all, so that no event is
 * published before every subscription is registered.
 */
final class Subscribers {

	private static final Duration STALL = Duration.ofSeconds(15);

	private Subscribers() {
	}

	/**
	 * Opens reading and stalled subscribers and waits for them, noting in the table when not all
	 * made it.
	 * @return what was opened
	 */
	static Opened open(ServerProcess server, LoadClient client, int reading, int stalled, ResultTable table,
			String prefix) throws Exception {
		int total = reading + stalled;
		Duration limit = Duration.ofSeconds(60 + total / 100);
		long start = System.nanoTime();
		ConnectionGroup group = client.open(reading, false);
		if (stalled > 0) {
			client.open(stalled, true);
		}
		boolean allOpen = Waits.awaitOpen(client, total, STALL, limit);
		boolean allSubscribed = Waits.awaitSubscribers(server, client.stats().open(), limit);
		double seconds = (System.nanoTime() - start) / 1e9;
		int subscribed = server.control().stats().subscribers();
		if (!allOpen || !allSubscribed) {
			table.note(server.spec().name() + ", " + prefix + client.stats().open() + " of " + total
					+ " connections open, " + subscribed + " subscribed on the server");
		}
		return new Opened(group, subscribed, seconds);
	}

	/**
	 * The subscribers opened.
	 *
	 * @param reading the reading (not stalled) connections
	 * @param subscribed the subscribers the server reported once they were all open
	 * @param seconds how long opening took, until the server held them
	 */
	record Opened(ConnectionGroup reading, int subscribed, double seconds) {
	}

}
