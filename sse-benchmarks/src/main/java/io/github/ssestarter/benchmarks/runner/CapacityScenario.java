package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.load.LoadStats;

/**
 * Capacity: ramp up to N idle subscribers, hold them, and report how many the server keeps and
 * what each costs in heap (after a full GC) and resident memory; then one probe event checks that
 * every held stream is still served.
 */
final class CapacityScenario extends SubscriberCountScenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(19_000);

	private static final double MIB = 1024 * 1024;

	private static final int WARMUP_STREAMS = 50;

	CapacityScenario() {
		super("capacity", "N", DEFAULT_SUBSCRIBERS);
	}

	@Override
	public String title() {
		return "Capacity: idle subscribers";
	}

	@Override
	void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception {
		String name = server.spec().name();
		warmUp(server, client);
		ControlClient.Memory idle = server.control().memoryAfterGc();
		long heapIdle = idle.heapUsed();
		long rssIdle = ProcStats.rssBytes(server.pid());
		long cpuStart = ProcStats.cpuNanos(server.pid());
		Subscribers.Opened opened = Subscribers.open(server, client, subscribers, 0, table, prefix);
		double rampCpuSeconds = (ProcStats.cpuNanos(server.pid()) - cpuStart) / 1e9;
		context.log("capacity %s: %d streams open after %.1f s, holding for %s", name, client.stats().open(),
				opened.seconds(), context.options().duration());
		int openAfterRamp = client.stats().open();
		Thread.sleep(context.options().duration().toMillis());
		if (!server.isAlive()) {
			table.put(name, prefix + "streams open after ramp", openAfterRamp);
			table.note(name + ", " + prefix + "the server exited while holding the streams (out of memory?); see its log");
			return;
		}
		int held = client.stats().open();
		int serverSubscribers = server.control().stats().subscribers();
		ControlClient.Memory loaded = server.control().memoryAfterGc();
		long heap = loaded.heapUsed();
		long rss = ProcStats.rssBytes(server.pid());
		long deliveredBefore = client.stats().delivered();
		server.control().publish(1, 0, 64);
		Waits.awaitDeliveries(client, deliveredBefore + held, Duration.ofSeconds(5), Duration.ofSeconds(60));
		long probed = client.stats().delivered() - deliveredBefore;
		LoadStats.Snapshot counted = client.stats().snapshot();
		table.put(name, prefix + "streams open after ramp", openAfterRamp);
		table.put(name, prefix + "streams held by the client", held);
		table.put(name, prefix + "subscribers held by the server", serverSubscribers);
		table.put(name, prefix + "streams that received a probe event", probed);
		table.put(name, prefix + "ramp time (s)", opened.seconds());
		table.put(name, prefix + "server CPU during ramp (s)", rampCpuSeconds);
		table.put(name, prefix + "heap after GC, idle (MiB)", heapIdle / MIB);
		table.put(name, prefix + "heap after GC, loaded (MiB)", heap / MIB);
		table.put(name, prefix + "heap per stream (KiB)", perStream(heap - heapIdle, held));
		table.put(name, prefix + "direct buffers, idle (MiB)", idle.directUsed() / MIB);
		table.put(name, prefix + "direct buffers, loaded (MiB)", loaded.directUsed() / MIB);
		table.put(name, prefix + "direct buffers per stream (KiB)", perStream(loaded.directUsed() - idle.directUsed(), held));
		table.put(name, prefix + "heap and direct buffers per stream (KiB)",
				perStream(heap - heapIdle + loaded.directUsed() - idle.directUsed(), held));
		table.put(name, prefix + "RSS, idle (MiB)", rssIdle / MIB);
		table.put(name, prefix + "RSS, loaded (MiB)", rss / MIB);
		table.put(name, prefix + "RSS per stream (KiB)", perStream(rss - rssIdle, held));
		table.put(name, prefix + "server threads", ProcStats.threads(server.pid()));
		table.put(name, prefix + "failed connects", counted.connectFailures() + counted.rejected());
		table.put(name, prefix + "streams closed by server", counted.remoteCloses());
	}

	/**
	 * Serves a few streams and closes them, so that the idle baseline already holds what the first
	 * requests initialise once (handler caches, Tomcat's processor cache and the like).
	 */
	private void warmUp(ServerProcess server, LoadClient client) throws Exception {
		client.open(WARMUP_STREAMS, false);
		Waits.awaitOpen(client, WARMUP_STREAMS, Duration.ofSeconds(5), Duration.ofSeconds(30));
		Waits.awaitSubscribers(server, WARMUP_STREAMS, Duration.ofSeconds(30));
		server.control().publish(1, 0, 64);
		Waits.awaitDeliveries(client, WARMUP_STREAMS, Duration.ofSeconds(5), Duration.ofSeconds(30));
		client.closeAll();
		// a second event lets a server that finds closed streams only on write drop them
		server.control().publish(1, 0, 64);
		Waits.finishPublishing(server, Duration.ofSeconds(10));
		Thread.sleep(500);
	}

	private static double perStream(long bytes, int streams) {
		return (streams > 0) ? bytes / 1024.0 / streams : Double.NaN;
	}

}
