package io.github.ssestarter.benchmarks.runner;

import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.load.LoadStats;
import io.github.ssestarter.benchmarks.protocol.EpochMicros;
import org.HdrHistogram.Histogram;

/**
 * One measured window: what the load generator counted and the CPU the server and the client
 * used between {@link #start} and {@link #finish}.
 */
final class Measurement {

	private static final long SELF = ProcessHandle.current().pid();

	private final List<ServerProcess> servers;

	private final LoadClient client;

	private final LoadStats.Snapshot startStats;

	private final long startMicros;

	private final long startNanos;

	private final long[] serverCpuStart;

	private final long clientCpuStart;

	private Measurement(List<ServerProcess> servers, LoadClient client) {
		this.servers = List.copyOf(servers);
		this.client = client;
		client.stats().takeLatencyHistogram();
		this.startStats = client.stats().snapshot();
		this.serverCpuStart = this.servers.stream().mapToLong((server) -> ProcStats.cpuNanos(server.pid())).toArray();
		this.clientCpuStart = ProcStats.cpuNanos(SELF);
		this.startMicros = EpochMicros.now();
		this.startNanos = System.nanoTime();
	}

	static Measurement start(ServerProcess server, LoadClient client) {
		return new Measurement(List.of(server), client);
	}

	/**
	 * Starts a window over several server instances, whose CPU is measured one by one.
	 */
	static Measurement start(List<ServerProcess> servers, LoadClient client) {
		return new Measurement(servers, client);
	}

	LoadStats.Snapshot startStats() {
		return this.startStats;
	}

	long startDelivered() {
		return this.startStats.delivered();
	}

	long startCaughtUp() {
		return this.startStats.caughtUp();
	}

	Result finish() {
		long nanos = System.nanoTime() - this.startNanos;
		double[] perServer = new double[this.servers.size()];
		double serverCpu = 0;
		for (int i = 0; i < perServer.length; i++) {
			perServer[i] = 100.0 * (ProcStats.cpuNanos(this.servers.get(i).pid()) - this.serverCpuStart[i]) / nanos;
			serverCpu += perServer[i];
		}
		double clientCpu = 100.0 * (ProcStats.cpuNanos(SELF) - this.clientCpuStart) / nanos;
		LoadStats stats = this.client.stats();
		LoadStats.Snapshot counted = stats.snapshot().minus(this.startStats);
		long lastDelivery = stats.lastDeliveryMicros();
		double deliverySeconds = (counted.delivered() > 0 && lastDelivery > this.startMicros)
				? (lastDelivery - this.startMicros) / 1e6 : Double.NaN;
		return new Result(counted, stats.takeLatencyHistogram(), deliverySeconds, serverCpu, clientCpu, perServer,
				nanos / 1e9);
	}

	/**
	 * What a window measured.
	 *
	 * @param counted the load generator's counters over the window
	 * @param latencyMicros delivery latencies over the window
	 * @param deliverySeconds from the start to the last delivery
	 * @param serverCpuPercent server CPU time over wall time (100 = one core), all instances together
	 * @param clientCpuPercent load generator CPU time over wall time
	 * @param serverCpuPercents the same per server instance, in the order they were given
	 * @param windowSeconds the length of the window
	 */
	record Result(LoadStats.Snapshot counted, Histogram latencyMicros, double deliverySeconds,
			double serverCpuPercent, double clientCpuPercent, double[] serverCpuPercents, double windowSeconds) {

		double latencyMillis(double percentile) {
			return (latencyMicros().getTotalCount() == 0) ? Double.NaN
					: latencyMicros().getValueAtPercentile(percentile) / 1000.0;
		}

		double maxLatencyMillis() {
			return (latencyMicros().getTotalCount() == 0) ? Double.NaN : latencyMicros().getMaxValue() / 1000.0;
		}

		/**
		 * Puts the delivery rows every scenario shares into the table.
		 * @param seconds the time to divide the deliveries by
		 */
		void putDeliveries(ResultTable table, String server, String prefix, double seconds) {
			table.put(server, prefix + "deliveries/s", counted().delivered() / seconds);
			table.put(server, prefix + "latency p50 (ms)", latencyMillis(50));
			table.put(server, prefix + "latency p99 (ms)", latencyMillis(99));
			table.put(server, prefix + "latency p99.9 (ms)", latencyMillis(99.9));
			table.put(server, prefix + "latency max (ms)", maxLatencyMillis());
		}

		/**
		 * The server CPU time per million events delivered in the window, all instances together.
		 */
		double serverCpuSecondsPerMillionDeliveries() {
			long delivered = counted().delivered();
			return (delivered > 0) ? serverCpuPercent() / 100 * windowSeconds() / delivered * 1e6 : Double.NaN;
		}

		/**
		 * Puts the CPU rows into the table.
		 */
		void putCpu(ResultTable table, String server, String prefix) {
			table.put(server, prefix + "server CPU (%)", serverCpuPercent());
			table.put(server, prefix + "server CPU-s per million deliveries", serverCpuSecondsPerMillionDeliveries());
			table.put(server, prefix + "load generator CPU (%)", clientCpuPercent());
		}

	}

}
