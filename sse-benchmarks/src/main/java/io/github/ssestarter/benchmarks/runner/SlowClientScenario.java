package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Slow clients: a share of the subscribers (1% by default) stop reading, with a small receive
 * buffer, while the publisher goes on. Reports what the other subscribers still get (rate,
 * latency, losses) and the server's memory while the stalled ones hold on.
 */
final class SlowClientScenario implements Scenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(2000);

	private static final double DEFAULT_RATE = 100;

	private static final int DEFAULT_PAYLOAD = 1024;

	private static final double MIB = 1024 * 1024;

	@Override
	public String title() {
		return "Slow clients: some subscribers stop reading";
	}

	@Override
	public int maxSubscribers(RunnerOptions options) {
		return Collections.max(options.subscribers(DEFAULT_SUBSCRIBERS));
	}

	@Override
	public void run(ServerSpec spec, ScenarioContext context, ResultTable table) throws Exception {
		for (int subscribers : context.options().subscribers(DEFAULT_SUBSCRIBERS)) {
			try (ServerProcess server = context.launcher().start(spec, "slow-" + subscribers);
					LoadClient client = context.newClient(server)) {
				measure(server, client, subscribers, context, table, "S=" + subscribers + ": ");
			}
		}
	}

	private void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		RunnerOptions options = context.options();
		String name = server.spec().name();
		int slow = (int) Math.max(1, Math.round(subscribers * options.slowPercent() / 100));
		int normal = subscribers - slow;
		double rate = options.fixedRate(DEFAULT_RATE);
		Duration duration = options.duration();
		client.open(normal, false);
		client.open(slow, true);
		if (!Waits.awaitOpen(client, subscribers, Duration.ofSeconds(15), Duration.ofSeconds(60 + subscribers / 100))) {
			table.note(name + ", " + prefix + "only " + client.stats().open() + " streams opened");
		}
		ControlClient control = server.control();
		ControlClient.Stats before = control.stats();
		client.expectAfter(before.lastSequence());
		long intended = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
		context.log("slow %s: %d reading, %d stalled, %s events/s", name, normal, slow, rate);
		Measurement measurement = Measurement.start(server, client);
		control.publish(intended, rate, options.payload(DEFAULT_PAYLOAD));
		boolean finished = control.awaitPublisherIdle(duration.plusSeconds(5));

		long heap = control.heapUsedAfterGc();
		long rss = ProcStats.rssBytes(server.pid());
		long peakRss = ProcStats.peakRssBytes(server.pid());
		int serverSubscribers = control.stats().subscribers();
		if (!finished) {
			Waits.finishPublishing(server, Duration.ZERO);
		}
		ControlClient.Stats after = control.stats();
		long published = after.published() - before.published();
		Waits.awaitDeliveries(client, measurement.startDelivered() + published * normal, Duration.ofSeconds(2),
				Duration.ofSeconds(10));
		Measurement.Result result = measurement.finish();
		long missing = client.missingBefore(after.lastSequence());

		String others = prefix + "reading subscribers: ";
		table.put(name, prefix + "stalled subscribers", slow);
		table.put(name, prefix + "events published (of " + intended + ")", published);
		result.putDeliveries(table, name, others);
		table.put(name, others + "delivered (% of intended)", 100.0 * result.counted().delivered() / (intended * normal));
		table.put(name, others + "lost events", result.counted().lost() + missing);
		table.put(name, others + "streams closed by server", result.counted().remoteCloses());
		table.put(name, prefix + "subscribers held by the server", serverSubscribers);
		table.put(name, prefix + "heap after GC (MiB)", heap / MIB);
		table.put(name, prefix + "RSS (MiB)", rss / MIB);
		table.put(name, prefix + "peak RSS (MiB)", peakRss / MIB);
		result.putCpu(table, name, prefix);
		if (!finished) {
			table.note(name + ", " + prefix + "publisher had not finished " + duration.plusSeconds(5) + " after start");
		}
	}

}
