package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.load.LoadStats;

/**
 * Slow clients: a share of the subscribers (1% by default) stop reading, with a small receive
 * buffer, while the publisher goes on for twice the usual duration. Reports what the other
 * subscribers get in each half (the second half is after the stalled streams' socket buffers have
 * filled), losses, and the server's memory while the stalled ones hold on.
 */
final class SlowClientScenario extends SubscriberCountScenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(1000);

	private static final double DEFAULT_RATE = 50;

	/**
	 * Big enough that a stalled stream fills the server's socket send buffer (autotuned up to
	 * {@code net.ipv4.tcp_wmem}'s maximum, 4 MiB by default) within the first half of the run.
	 */
	private static final int DEFAULT_PAYLOAD = 4096;

	private static final double MIB = 1024 * 1024;

	SlowClientScenario() {
		super("slow", "S", DEFAULT_SUBSCRIBERS);
	}

	@Override
	public String title() {
		return "Slow clients: some subscribers stop reading";
	}

	@Override
	void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		RunnerOptions options = context.options();
		String name = server.spec().name();
		int slow = (int) Math.max(1, Math.round(subscribers * options.slowPercent() / 100));
		int normal = subscribers - slow;
		double rate = options.fixedRate(DEFAULT_RATE);
		Duration duration = options.duration().multipliedBy(2);
		Subscribers.open(server, client, normal, slow, table, prefix);
		Warmup.run(server, client, options, options.payload(DEFAULT_PAYLOAD));
		ControlClient control = server.control();
		ControlClient.Stats before = control.stats();
		client.expectAfter(before.lastSequence());
		long intended = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
		context.log("slow %s: %d reading, %d stalled, %s events/s for %s", name, normal, slow, rate, duration);

		Measurement firstHalf = Measurement.start(server, client);
		control.publish(intended, rate, options.payload(DEFAULT_PAYLOAD));
		Thread.sleep(duration.toMillis() / 2);
		Measurement.Result first = firstHalf.finish();
		Measurement secondHalf = Measurement.start(server, client);
		boolean finished = control.awaitPublisherIdle(duration.dividedBy(2).plusSeconds(5));
		long heap = control.heapUsedAfterGc();
		long rss = ProcStats.rssBytes(server.pid());
		long peakRss = ProcStats.peakRssBytes(server.pid());
		int serverSubscribers = control.stats().subscribers();
		if (!finished) {
			Waits.finishPublishing(server, Duration.ZERO);
		}
		ControlClient.Stats after = control.stats();
		long published = after.published() - before.published();
		long expected = published * normal;
		Waits.awaitDeliveries(client, firstHalf.startDelivered() + expected, Duration.ofSeconds(2),
				Duration.ofSeconds(10));
		Measurement.Result second = secondHalf.finish();
		long missing = client.missingBefore(after.lastSequence());

		String others = prefix + "reading subscribers, ";
		table.put(name, prefix + "stalled subscribers", slow);
		table.put(name, prefix + "events/s intended", rate);
		table.put(name, prefix + "events published (% of intended)", 100.0 * published / intended);
		double halfSeconds = duration.toMillis() / 2000.0;
		first.putDeliveries(table, name, others + "first half: ", halfSeconds);
		second.putDeliveries(table, name, others + "second half: ", halfSeconds);
		LoadStats.Snapshot whole = client.stats().snapshot().minus(firstHalf.startStats());
		table.put(name, others + "delivered (% of intended)", 100.0 * whole.delivered() / (intended * normal));
		table.put(name, others + "lost events", whole.lost() + missing);
		table.put(name, others + "streams closed by server", whole.remoteCloses());
		table.put(name, prefix + "subscribers held by the server at the end", serverSubscribers);
		table.put(name, prefix + "heap after GC at the end (MiB)", heap / MIB);
		table.put(name, prefix + "RSS at the end (MiB)", rss / MIB);
		table.put(name, prefix + "peak RSS (MiB)", peakRss / MIB);
		second.putCpu(table, name, prefix + "second half: ");
		if (!finished) {
			table.note(name + ", " + prefix + "the publisher was still blocked when publishing should have ended");
		}
	}

}
