package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Fan-out: S subscribers and one server-side publisher at fixed rates, then a burst published as
 * fast as the server takes it. Reports deliveries per second, latency percentiles, losses and
 * duplicates per point. Each subscriber count gets a fresh server.
 */
final class FanoutScenario extends SubscriberCountScenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(1000, 5000, 10000);

	private static final List<Double> DEFAULT_RATES = List.of(1d, 10d, 100d, RunnerOptions.BURST);

	private static final int DEFAULT_PAYLOAD = 64;

	private static final Duration QUIET = Duration.ofSeconds(2);

	private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

	FanoutScenario() {
		super("fanout", "S", DEFAULT_SUBSCRIBERS);
	}

	@Override
	public String title() {
		return "Fan-out: one publisher, S subscribers";
	}

	/**
	 * Notes a subscriber count that fails (a server that does not start, a publisher that does not
	 * stop) and goes on with the next one.
	 */
	@Override
	void runOnFreshServer(ServerSpec spec, int subscribers, ScenarioContext context, ResultTable table, String prefix)
			throws Exception {
		try {
			super.runOnFreshServer(spec, subscribers, context, table, prefix);
		}
		catch (IllegalStateException ex) {
			table.note(spec.name() + ", " + prefix + ex.getMessage());
			context.log("fanout %s: %s", spec.name(), ex.getMessage());
		}
	}

	@Override
	void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		RunnerOptions options = context.options();
		String name = server.spec().name();
		Subscribers.Opened opened = Subscribers.open(server, client, subscribers, 0, table, prefix);
		table.put(name, prefix + "streams open", client.stats().open());
		table.put(name, prefix + "connect time (s)", opened.seconds());
		context.log("fanout %s: %d streams open, warming up", name, client.stats().open());
		Warmup.run(server, client, options, options.payload(DEFAULT_PAYLOAD));
		for (double rate : options.rates(DEFAULT_RATES)) {
			String point = point(prefix, rate, options);
			context.log("fanout %s: %s", name, point);
			runPoint(server, client, rate, options, table, point);
		}
	}

	private void runPoint(ServerProcess server, LoadClient client, double rate, RunnerOptions options,
			ResultTable table, String point) throws Exception {
		String name = server.spec().name();
		ControlClient control = server.control();
		ControlClient.Stats before = control.stats();
		client.expectAfter(before.lastSequence());
		int open = client.stats().open();
		Duration duration = options.duration();
		long count = eventCount(rate, options);
		Measurement measurement = Measurement.start(server, client);
		control.publish(count, rate, options.payload(DEFAULT_PAYLOAD));
		boolean finished = Waits.finishPublishing(server, (rate > 0) ? duration.plusSeconds(10) : duration);
		ControlClient.Stats after = control.stats();
		long expected = (after.published() - before.published()) * open;
		Duration drainLimit = (rate > 0) ? DRAIN_LIMIT : duration;
		Waits.awaitDeliveries(client, measurement.startDelivered() + expected, QUIET, drainLimit);
		Measurement.Result result = measurement.finish();
		long missing = client.missingBefore(after.lastSequence());
		result.putDeliveries(table, name, point, result.deliverySeconds());
		table.put(name, point + "delivered (% of expected)",
				(expected > 0) ? 100.0 * result.counted().delivered() / expected : Double.NaN);
		table.put(name, point + "lost events", result.counted().lost() + missing);
		table.put(name, point + "duplicates", result.counted().duplicates());
		table.put(name, point + "streams closed by server", result.counted().remoteCloses());
		result.putCpu(table, name, point);
		if (!finished) {
			throw new IllegalStateException("The publisher of " + name + " did not stop at " + point);
		}
	}

	/**
	 * Names a point in the rows: the prefix and the rate, e.g. {@code S=1000: 10/s: } or
	 * {@code S=1000: burst of 1000: }.
	 */
	static String point(String prefix, double rate, RunnerOptions options) {
		return prefix + ((rate > 0) ? format(rate) + "/s" : "burst of " + options.burst()) + ": ";
	}

	/**
	 * The events a point publishes: the rate for the measurement time, at least one, or a burst.
	 */
	static long eventCount(double rate, RunnerOptions options) {
		return (rate > 0) ? Math.max(1, Math.round(rate * options.duration().toMillis() / 1000.0)) : options.burst();
	}

	private static String format(double rate) {
		return (rate == Math.rint(rate)) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
	}

}
