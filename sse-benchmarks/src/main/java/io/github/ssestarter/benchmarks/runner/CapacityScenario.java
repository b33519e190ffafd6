package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.load.LoadStats;

/**
 * Capacity: ramp up to N idle subscribers, hold them, and report how many the server keeps and
 * what each costs in heap (after a full GC) and resident memory; then one probe event checks that
 * every held stream is still served.
 */
final class CapacityScenario implements Scenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(19_000);

	private static final double MIB = 1024 * 1024;

	@Override
	public String title() {
		return "Capacity: idle subscribers";
	}

	@Override
	public int maxSubscribers(RunnerOptions options) {
		return Collections.max(options.subscribers(DEFAULT_SUBSCRIBERS));
	}

	@Override
	public void run(ServerSpec spec, ScenarioContext context, ResultTable table) throws Exception {
		for (int subscribers : context.options().subscribers(DEFAULT_SUBSCRIBERS)) {
			try (ServerProcess server = context.launcher().start(spec, "capacity-" + subscribers);
					LoadClient client = context.newClient(server)) {
				measure(server, client, subscribers, context, table, "N=" + subscribers + ": ");
			}
		}
	}

	private void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		String name = server.spec().name();
		long heapIdle = server.control().heapUsedAfterGc();
		long rssIdle = ProcStats.rssBytes(server.pid());
		long cpuStart = ProcStats.cpuNanos(server.pid());
		long start = System.nanoTime();
		client.open(subscribers, false);
		boolean allOpen = Waits.awaitOpen(client, subscribers, Duration.ofSeconds(15),
				Duration.ofSeconds(60 + subscribers / 100));
		double rampSeconds = (System.nanoTime() - start) / 1e9;
		double rampCpuSeconds = (ProcStats.cpuNanos(server.pid()) - cpuStart) / 1e9;
		context.log("capacity %s: %d streams open after %.1f s, holding for %s", name, client.stats().open(),
				rampSeconds, context.options().duration());
		if (!allOpen) {
			table.note(name + ", " + prefix + "only " + client.stats().open() + " streams opened");
		}
		Thread.sleep(context.options().duration().toMillis());
		int held = client.stats().open();
		int serverSubscribers = server.control().stats().subscribers();
		long heap = server.control().heapUsedAfterGc();
		long rss = ProcStats.rssBytes(server.pid());
		long deliveredBefore = client.stats().delivered();
		server.control().publish(1, 0, 64);
		Waits.awaitDeliveries(client, deliveredBefore + held, Duration.ofSeconds(5), Duration.ofSeconds(60));
		long probed = client.stats().delivered() - deliveredBefore;
		LoadStats.Snapshot counted = client.stats().snapshot();
		table.put(name, prefix + "streams held by the client", held);
		table.put(name, prefix + "subscribers held by the server", serverSubscribers);
		table.put(name, prefix + "streams that received a probe event", probed);
		table.put(name, prefix + "ramp time (s)", rampSeconds);
		table.put(name, prefix + "server CPU during ramp (s)", rampCpuSeconds);
		table.put(name, prefix + "heap after GC, idle (MiB)", heapIdle / MIB);
		table.put(name, prefix + "heap after GC, loaded (MiB)", heap / MIB);
		table.put(name, prefix + "heap per stream (KiB)", perStream(heap - heapIdle, held));
		table.put(name, prefix + "RSS, idle (MiB)", rssIdle / MIB);
		table.put(name, prefix + "RSS, loaded (MiB)", rss / MIB);
		table.put(name, prefix + "RSS per stream (KiB)", perStream(rss - rssIdle, held));
		table.put(name, prefix + "server threads", ProcStats.threads(server.pid()));
		table.put(name, prefix + "failed connects", counted.connectFailures() + counted.rejected());
		table.put(name, prefix + "streams closed by server", counted.remoteCloses());
	}

	private static double perStream(long bytes, int streams) {
		return (streams > 0) ? bytes / 1024.0 / streams : Double.NaN;
	}

}
