package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.load.LoadStats;
import io.github.ssestarter.benchmarks.protocol.EpochMicros;
import org.HdrHistogram.Histogram;

/**
 * Disconnect detection: open N idle streams, hold them (measuring the server's CPU while idle,
 * against the same server idle with no streams, by thread group), then close every client
 * connection at once and poll the server's own count of open streams every {@value #POLL_MILLIS}
 * ms until it reaches 0, for at most {@link #RELEASE_LIMIT}; servers that record when they release
 * each stream ({@code GET /stats/released}) give the per-stream release times too. Nothing is
 * published while the streams are open, so a server that notices a closed client only when a write
 * fails never notices here; the starter's heartbeat (15 s by default) is left as it is: its next
 * round comes about 13 s minus the ramp time after the close.
 *
 * <p>Each close mode ({@code --close fin,reset}) runs on a fresh server: {@code fin} closes the
 * sockets normally, as a browser closing its tab, {@code reset} aborts them with RST.
 */
final class DisconnectScenario implements Scenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(10_000);

	/** One heartbeat period of the starter: each of its streams gets one heartbeat in it. */
	private static final Duration DEFAULT_IDLE = Duration.ofSeconds(15);

	/** Between the ramp and the idle window, for the ramp's own work (JIT, GC) to settle. */
	private static final Duration SETTLE = Duration.ofSeconds(2);

	private static final long POLL_MILLIS = 50;

	private static final Duration RELEASE_LIMIT = Duration.ofSeconds(60);

	private static final Duration OPEN_LIMIT = Duration.ofSeconds(60);

	/** The starter's disconnect watch thread. */
	private static final String WATCH_THREAD = "sse-watch";

	private static final int WARMUP_STREAMS = 50;

	@Override
	public String title() {
		return "Disconnect detection: idle streams closed by the client at once";
	}

	@Override
	public int maxSubscribers(RunnerOptions options) {
		return Collections.max(options.subscribers(DEFAULT_SUBSCRIBERS));
	}

	@Override
	public void run(ServerSpec spec, ScenarioContext context, ResultTable table) throws Exception {
		for (int subscribers : context.options().subscribers(DEFAULT_SUBSCRIBERS)) {
			for (String mode : context.options().closeModes()) {
				boolean reset = mode.equals("reset");
				String prefix = "N=" + subscribers + ", " + (reset ? "RST" : "FIN") + ": ";
				try (ServerProcess server = context.launcher().start(spec, "disconnect-" + mode + "-" + subscribers);
						LoadClient client = context.newClient(server)) {
					measure(server, client, subscribers, reset, context, table, prefix);
				}
			}
		}
	}

	private void measure(ServerProcess server, LoadClient client, int subscribers, boolean reset,
			ScenarioContext context, ResultTable table, String prefix) throws Exception {
		String name = server.spec().name();
		Duration idle = context.options().duration(DEFAULT_IDLE);
		int leftOver = warmUp(server, client, reset);
		if (leftOver > 0) {
			table.note(name + ", " + prefix + leftOver + " warm-up streams still open on the server; "
					+ "the release below is counted down to that many");
		}

		// The server idle with no streams: what the JVM and Tomcat cost anyway.
		double idleEmptyCpu = cpuPercent(server, idle);

		long rampStart = System.nanoTime();
		Subscribers.open(server, client, subscribers, 0, table, prefix);
		boolean allOpen = awaitOpenConnections(server, leftOver + subscribers, OPEN_LIMIT);
		long rampEnd = System.nanoTime();
		int openOnServer = server.control().stats().openConnections() - leftOver;
		int openOnClient = client.stats().open();
		context.log("disconnect %s: %d streams open on the client, %d on the server after %.1f s; idle for %s", name,
				openOnClient, openOnServer, (rampEnd - rampStart) / 1e9, idle);
		if (!allOpen) {
			table.note(name + ", " + prefix + "only " + openOnServer + " of " + subscribers
					+ " streams open on the server before closing");
		}

		// The same server idle with N streams, after the ramp's own work has settled. With the
		// default 15 s window the starter writes one heartbeat to each stream in it, as it does in
		// every 15 s when idle; its watch asks every stream every 500 ms.
		Thread.sleep(SETTLE.toMillis());
		Map<String, Long> groupsStart = ProcStats.cpuNanosByThreadGroup(server.pid());
		long idleStart = System.nanoTime();
		double idleLoadedCpu = cpuPercent(server, idle);
		long idleEnd = System.nanoTime();
		Map<String, Long> idleGroups = minus(ProcStats.cpuNanosByThreadGroup(server.pid()), groupsStart);
		long idleNanos = idleEnd - idleStart;
		context.log("disconnect %s: idle CPU by thread group (ms over %.1f s): %s", name, idleNanos / 1e9,
				top(idleGroups));
		LoadStats.Snapshot beforeClose = client.stats().snapshot();
		int openBeforeClose = server.control().stats().openConnections() - leftOver;

		// Close everything at once, then watch the server's count fall.
		long cpuAtClose = ProcStats.cpuNanos(server.pid());
		Map<String, Long> groupsAtClose = ProcStats.cpuNanosByThreadGroup(server.pid());
		long closeMicros = EpochMicros.now();
		long closeStart = System.nanoTime();
		long closed = client.closeAll(reset);
		long closeCallNanos = System.nanoTime() - closeStart;
		Release release = awaitRelease(server, openBeforeClose, leftOver, closeStart, RELEASE_LIMIT);
		double releaseCpuSeconds = (ProcStats.cpuNanos(server.pid()) - cpuAtClose) / 1e9;
		Map<String, Long> releaseGroups = minus(ProcStats.cpuNanosByThreadGroup(server.pid()), groupsAtClose);
		long[] releasedAt = server.control().released(closeMicros);
		Histogram releaseMicros = new Histogram(3);
		for (long time : releasedAt) {
			releaseMicros.recordValue(Math.max(0, time - closeMicros));
		}
		context.log("disconnect %s: closed %d client connections (%s) in %d ms; server open count %d after %d ms, "
				+ "%d releases recorded by the server; CPU by thread group (ms): %s", name, closed,
				reset ? "RST" : "FIN", closeCallNanos / 1_000_000, release.remaining(), release.waitedMillis(),
				releasedAt.length, top(releaseGroups));

		table.put(name, prefix + "streams open on the client", openOnClient);
		table.put(name, prefix + "streams open on the server before closing", openBeforeClose);
		table.put(name, prefix + "ramp time (s)", (rampEnd - rampStart) / 1e9);
		table.put(name, prefix + "streams closed by server while idle", beforeClose.remoteCloses());
		table.put(name, prefix + "server CPU idle, no streams (%)", idleEmptyCpu);
		table.put(name, prefix + "server CPU idle, " + subscribers + " streams (%)", idleLoadedCpu);
		table.put(name, prefix + "of which " + WATCH_THREAD + " thread (%)", percent(idleGroups, WATCH_THREAD, idleNanos));
		table.put(name, prefix + "of which heartbeats, sse-timer and sse-dispatch threads (%)",
				percent(idleGroups, "sse-timer-", idleNanos) + percent(idleGroups, "sse-dispatch-", idleNanos));
		table.put(name, prefix + "of which JIT compiler and GC threads (%)", jitAndGcNanos(idleGroups) * 100.0 / idleNanos);
		table.put(name, prefix + "client close of all sockets (ms)", closeCallNanos / 1e6);
		table.put(name, prefix + "released, recorded by the server", releasedAt.length);
		table.put(name, prefix + "release p50, recorded by the server (ms)", millis(releaseMicros, 50));
		table.put(name, prefix + "release p99, recorded by the server (ms)", millis(releaseMicros, 99));
		table.put(name, prefix + "release max, recorded by the server (ms)",
				(releaseMicros.getTotalCount() == 0) ? Double.NaN : releaseMicros.getMaxValue() / 1000.0);
		table.put(name, prefix + "first stream released, polled (ms)", release.firstMillis());
		table.put(name, prefix + "half released, polled (ms)", release.halfMillis());
		table.put(name, prefix + "99% released, polled (ms)", release.p99Millis());
		table.put(name, prefix + "all released, polled (ms)", release.allMillis());
		table.put(name, prefix + "longest wait for a poll (ms)", release.longestPollMillis());
		table.put(name, prefix + "streams still open at the end of the wait", release.remaining());
		table.put(name, prefix + "server CPU from close to release or end of wait (s)", releaseCpuSeconds);
		table.put(name, prefix + "of which Tomcat threads (s)", nanosOf(releaseGroups, "http-nio-") / 1e9);
		table.put(name, prefix + "of which sse-* threads (s)", nanosOf(releaseGroups, "sse-") / 1e9);
		if (release.remaining() > 0) {
			table.note(String.format(Locale.ROOT, "%s, %snot released within %d s: %,d of %,d streams still open", name,
					prefix, RELEASE_LIMIT.toSeconds(), release.remaining(), openBeforeClose));
		}
	}

	private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
		Map<String, Long> result = new TreeMap<>();
		after.forEach((group, nanos) -> result.put(group, nanos - before.getOrDefault(group, 0L)));
		return result;
	}

	private static String top(Map<String, Long> groups) {
		return groups.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(10)
			.map((entry) -> entry.getKey() + "=" + entry.getValue() / 1_000_000)
			.collect(Collectors.joining(", "));
	}

	private static long nanosOf(Map<String, Long> groups, String prefix) {
		return groups.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(prefix) || entry.getKey().contains("-" + prefix))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private static double percent(Map<String, Long> groups, String group, long wallNanos) {
		Long nanos = groups.get(group);
		return (nanos != null) ? 100.0 * nanos / wallNanos : 0;
	}

	private static long jitAndGcNanos(Map<String, Long> groups) {
		return groups.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().contains("Compiler") || entry.getKey().startsWith("G1")
					|| entry.getKey().startsWith("GC Thread"))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private static double millis(Histogram micros, double percentile) {
		return (micros.getTotalCount() == 0) ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
	}

	/**
	 * Serves a few streams and closes them the same way, so that the code the measurement uses has
	 * run once; then two events 200 ms apart, so that a server that finds closed streams only on a
	 * failing write drops them (after a normal close the first write still succeeds: the client's
	 * kernel answers it with a reset, and only the next write fails).
	 * @return the warm-up streams the server still holds (0 unless it failed to drop them)
	 */
	private int warmUp(ServerProcess server, LoadClient client, boolean reset) throws Exception {
		client.open(WARMUP_STREAMS, false);
		Waits.awaitOpen(client, WARMUP_STREAMS, Duration.ofSeconds(5), Duration.ofSeconds(30));
		Waits.awaitSubscribers(server, WARMUP_STREAMS, Duration.ofSeconds(30));
		server.control().publish(1, 0, 64);
		Waits.awaitDeliveries(client, WARMUP_STREAMS, Duration.ofSeconds(5), Duration.ofSeconds(30));
		client.closeAll(reset);
		Thread.sleep(1000);
		server.control().publish(2, 5, 64);
		Waits.finishPublishing(server, Duration.ofSeconds(10));
		Release release = awaitRelease(server, WARMUP_STREAMS, 0, System.nanoTime(), Duration.ofSeconds(10));
		Thread.sleep(500);
		return release.remaining();
	}

	private static double cpuPercent(ServerProcess server, Duration window) throws InterruptedException {
		long cpuStart = ProcStats.cpuNanos(server.pid());
		long start = System.nanoTime();
		Thread.sleep(window.toMillis());
		return 100.0 * (ProcStats.cpuNanos(server.pid()) - cpuStart) / (System.nanoTime() - start);
	}

	private static boolean awaitOpenConnections(ServerProcess server, int target, Duration max) throws Exception {
		long deadline = System.nanoTime() + max.toNanos();
		while (server.control().stats().openConnections() < target) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(POLL_MILLIS);
		}
		return true;
	}

	/**
	 * Polls the server's open stream count every {@value #POLL_MILLIS} ms until it is down to
	 * {@code floor} or {@code limit} has passed since {@code startNanos}, noting when the
	 * {@code start} streams above the floor first fell, were half, 99% and all released. Each time
	 * is when the poll that saw it returned, so it is late by up to one poll interval plus the
	 * request.
	 */
	private static Release awaitRelease(ServerProcess server, int start, int floor, long startNanos, Duration limit)
			throws Exception {
		double first = Double.NaN;
		double half = Double.NaN;
		double p99 = Double.NaN;
		double all = Double.NaN;
		int open = start;
		long deadline = startNanos + limit.toNanos();
		long next = startNanos;
		long longestPoll = 0;
		while (true) {
			long asked = System.nanoTime();
			open = server.control().stats().openConnections() - floor;
			long now = System.nanoTime();
			longestPoll = Math.max(longestPoll, now - asked);
			double millis = (now - startNanos) / 1e6;
			if (open < start && Double.isNaN(first)) {
				first = millis;
			}
			if (open <= start / 2 && Double.isNaN(half)) {
				half = millis;
			}
			if (open <= start / 100 && Double.isNaN(p99)) {
				p99 = millis;
			}
			if (open <= 0) {
				all = millis;
				break;
			}
			if (now > deadline) {
				break;
			}
			next += POLL_MILLIS * 1_000_000;
			long sleep = next - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
			}
		}
		return new Release(first, half, p99, all, Math.max(open, 0), (System.nanoTime() - startNanos) / 1_000_000,
				longestPoll / 1e6);
	}

	/**
	 * When the server's open stream count fell, in milliseconds from the close (NaN: not within
	 * the wait).
	 *
	 * @param firstMillis first stream released
	 * @param halfMillis half released
	 * @param p99Millis 99% released
	 * @param allMillis all released
	 * @param remaining streams still open when the wait ended
	 * @param waitedMillis how long the wait took
	 * @param longestPollMillis the longest a poll took to answer
	 */
	private record Release(double firstMillis, double halfMillis, double p99Millis, double allMillis, int remaining,
			long waitedMillis, double longestPollMillis) {
	}

}
