package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.List;

import io.github.ssestarter.benchmarks.load.ConnectionGroup;
import io.github.ssestarter.benchmarks.load.LoadClient;
import org.HdrHistogram.Histogram;

/**
 * Reconnect storm: S subscribers all drop at once while publishing goes on, and reconnect with
 * {@code Last-Event-ID}. Reports how long until every one has caught up (received an event
 * published after it reconnected), and the events lost or duplicated across the storm. A server
 * that cannot replay shows the events published while its subscribers were away as lost.
 */
final class ReconnectScenario extends SubscriberCountScenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(5000);

	private static final double DEFAULT_RATE = 10;

	private static final int DEFAULT_PAYLOAD = 64;

	ReconnectScenario() {
		super("reconnect", "S", DEFAULT_SUBSCRIBERS);
	}

	@Override
	public String title() {
		return "Reconnect storm: all subscribers drop and resume with Last-Event-ID";
	}

	@Override
	void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		RunnerOptions options = context.options();
		String name = server.spec().name();
		double rate = options.fixedRate(DEFAULT_RATE);
		ConnectionGroup group = Subscribers.open(server, client, subscribers, 0, table, prefix).reading();
		ControlClient control = server.control();
		client.expectAfter(control.stats().lastSequence());
		Duration runLength = options.warmup().plus(options.duration()).plusSeconds(60);
		control.publish(Math.round(rate * runLength.toSeconds()), rate, options.payload(DEFAULT_PAYLOAD));
		Thread.sleep(options.warmup().toMillis());

		context.log("reconnect %s: dropping %d streams at %s events/s", name, group.size(), rate);
		client.stats().takeCatchUpHistogram();
		Measurement measurement = Measurement.start(server, client);
		client.reconnect(group);
		boolean allCaughtUp = Waits.awaitCaughtUp(client, measurement.startCaughtUp() + group.size(),
				options.duration());
		Histogram catchUp = client.stats().takeCatchUpHistogram();
		int reopened = client.stats().open();

		Waits.finishPublishing(server, Duration.ZERO);
		ControlClient.Stats after = control.stats();
		Waits.awaitDeliveries(client, Long.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(10));
		Measurement.Result result = measurement.finish();
		long lost = result.counted().lost() + client.missingBefore(after.lastSequence());

		table.put(name, prefix + "events/s published", rate);
		table.put(name, prefix + "streams open again", reopened);
		table.put(name, prefix + "caught up", catchUp.getTotalCount());
		table.put(name, prefix + "time until all caught up (ms)",
				allCaughtUp ? catchUp.getMaxValue() / 1000.0 : Double.NaN);
		table.put(name, prefix + "catch-up p50 (ms)", percentileMillis(catchUp, 50));
		table.put(name, prefix + "catch-up p99 (ms)", percentileMillis(catchUp, 99));
		result.putDeliveries(table, name, prefix, result.deliverySeconds());
		table.put(name, prefix + "lost events", lost);
		table.put(name, prefix + "lost events per stream", (double) lost / group.size());
		table.put(name, prefix + "duplicates", result.counted().duplicates());
		table.put(name, prefix + "failed reconnects", result.counted().connectFailures() + result.counted().rejected());
		result.putCpu(table, name, prefix);
		if (!allCaughtUp) {
			table.note(name + ", " + prefix + "not all caught up within " + options.duration());
		}
	}

	private static double percentileMillis(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
	}

}
