package io.github.ssestarter.benchmarks.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * Fan-out across instances ({@code fanout2}): a server that shares its topics through Redis
 * ({@link ServerSpec#usesRedis()}, i.e. {@code starter-redis}) runs as two JVMs on two ports on one
 * fresh Redis stream, with the subscribers split evenly between them and the publisher in the first;
 * any other server (e.g. {@code starter}) runs as one JVM holding all the subscribers, for
 * comparison in the same run. Reports what {@code fanout} does, plus CPU and RSS per instance.
 */
final class TwoInstanceFanoutScenario implements Scenario {

	private static final List<Integer> DEFAULT_SUBSCRIBERS = List.of(1000, 5000);

	private static final List<Double> DEFAULT_RATES = List.of(10d, RunnerOptions.BURST);

	private static final int DEFAULT_PAYLOAD = 64;

	private static final int INSTANCES = 2;

	private static final Duration QUIET = Duration.ofSeconds(2);

	private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

	private static final double MIB = 1024.0 * 1024.0;

	@Override
	public String title() {
		return "Fan-out from two instances over Redis: one publisher (in instance A), S subscribers in total";
	}

	@Override
	public String ours() {
		return Servers.OURS_REDIS;
	}

	@Override
	public int maxSubscribers(RunnerOptions options) {
		return Collections.max(options.subscribers(DEFAULT_SUBSCRIBERS));
	}

	@Override
	public void run(ServerSpec spec, ScenarioContext context, ResultTable table) throws Exception {
		RunnerOptions options = context.options();
		int instances = spec.usesRedis() ? INSTANCES : 1;
		if (spec.usesRedis() && !RedisKeys.isUp()) {
			throw new IllegalStateException(
					"No Redis answers on " + Servers.REDIS_HOST + ":" + Servers.REDIS_PORT + "; " + spec.name() + " needs one");
		}
		for (int subscribers : options.subscribers(DEFAULT_SUBSCRIBERS)) {
			String prefix = "S=" + subscribers + ": ";
			String topic = ServerLauncher.freshTopic();
			List<String> arguments = spec.usesRedis() ? List.of(ServerLauncher.TOPIC_ARGUMENT + topic) : List.of();
			List<ServerProcess> servers = new ArrayList<>();
			try {
				for (int i = 0; i < instances; i++) {
					servers.add(context.launcher().start(spec, "fanout2-" + subscribers + "-" + instanceName(i), arguments));
				}
				if (spec.usesRedis()) {
					context.log("fanout2 %s: %d instances on ports %s, topic %s", spec.name(), instances,
							servers.stream().map((server) -> server.address().getPort()).toList(), topic);
				}
				try (LoadClient client = context.newClient(servers)) {
					runSeries(spec, servers, client, subscribers, context, table, prefix);
				}
			}
			catch (IllegalStateException ex) {
				table.note(spec.name() + ", " + prefix + ex.getMessage());
				context.log("fanout2 %s: %s", spec.name(), ex.getMessage());
			}
			finally {
				servers.forEach(ServerProcess::close);
				if (spec.usesRedis()) {
					long entries = RedisKeys.streamLength(RedisKeys.topicKey(topic));
					long deleted = RedisKeys.delete(RedisKeys.topicKey(topic));
					context.log("fanout2 %s: stream %s had %d entries, deleted: %d", spec.name(),
							RedisKeys.topicKey(topic), entries, deleted);
				}
			}
		}
	}

	private void runSeries(ServerSpec spec, List<ServerProcess> servers, LoadClient client, int subscribers,
			ScenarioContext context, ResultTable table, String prefix) throws Exception {
		RunnerOptions options = context.options();
		long start = System.nanoTime();
		client.open(subscribers, false);
		Duration limit = Duration.ofSeconds(60 + subscribers / 100);
		boolean allOpen = Waits.awaitOpen(client, subscribers, Duration.ofSeconds(15), limit);
		boolean allSubscribed = awaitSubscribers(servers, client.stats().open(), limit);
		table.put(spec.name(), prefix + "instances", servers.size());
		table.put(spec.name(), prefix + "streams open", client.stats().open());
		for (int i = 0; i < INSTANCES; i++) {
			table.put(spec.name(), prefix + "subscribers on instance " + instanceName(i),
					(i < servers.size()) ? servers.get(i).control().stats().subscribers() : Double.NaN);
		}
		table.put(spec.name(), prefix + "connect time (s)", (System.nanoTime() - start) / 1e9);
		if (!allOpen || !allSubscribed) {
			table.note(spec.name() + ", " + prefix + client.stats().open() + " of " + subscribers
					+ " connections open, " + subscribed(servers) + " subscribed on the servers");
		}
		context.log("fanout2 %s: %d streams open, warming up", spec.name(), client.stats().open());
		Warmup.run(servers.get(0), client, options, options.payload(DEFAULT_PAYLOAD));
		for (double rate : options.rates(DEFAULT_RATES)) {
			String point = FanoutScenario.point(prefix, rate, options);
			context.log("fanout2 %s: %s", spec.name(), point);
			runPoint(spec, servers, client, rate, options, table, point);
		}
	}

	private void runPoint(ServerSpec spec, List<ServerProcess> servers, LoadClient client, double rate,
			RunnerOptions options, ResultTable table, String point) throws Exception {
		String name = spec.name();
		ServerProcess publisher = servers.get(0);
		ControlClient control = publisher.control();
		ControlClient.Stats before = control.stats();
		client.expectAfter(before.lastSequence());
		int open = client.stats().open();
		Duration duration = options.duration();
		long count = FanoutScenario.eventCount(rate, options);
		long redisPid = spec.usesRedis() ? RedisKeys.serverPid() : -1;
		long redisCpuStart = (redisPid > 0) ? ProcStats.cpuNanos(redisPid) : 0;
		long startNanos = System.nanoTime();
		Measurement measurement = Measurement.start(servers, client);
		control.publish(count, rate, options.payload(DEFAULT_PAYLOAD));
		boolean finished = Waits.finishPublishing(publisher, (rate > 0) ? duration.plusSeconds(10) : duration);
		ControlClient.Stats after = control.stats();
		long expected = (after.published() - before.published()) * open;
		Duration drainLimit = (rate > 0) ? DRAIN_LIMIT : duration;
		Waits.awaitDeliveries(client, measurement.startDelivered() + expected, QUIET, drainLimit);
		Measurement.Result result = measurement.finish();
		double redisCpu = (redisPid > 0)
				? 100.0 * (ProcStats.cpuNanos(redisPid) - redisCpuStart) / (System.nanoTime() - startNanos) : Double.NaN;
		long missing = client.missingBefore(after.lastSequence());
		result.putDeliveries(table, name, point, result.deliverySeconds());
		table.put(name, point + "delivered (% of expected)",
				(expected > 0) ? 100.0 * result.counted().delivered() / expected : Double.NaN);
		table.put(name, point + "lost events", result.counted().lost() + missing);
		table.put(name, point + "duplicates", result.counted().duplicates());
		table.put(name, point + "publishes refused", after.failures() - before.failures());
		table.put(name, point + "events published per second", (after.published() - before.published()) / after.lastRunSeconds());
		table.put(name, point + "streams closed by server", result.counted().remoteCloses());
		table.put(name, point + "server CPU, all instances (%)", result.serverCpuPercent());
		double rssTotal = 0;
		for (int i = 0; i < INSTANCES; i++) {
			boolean present = i < servers.size();
			table.put(name, point + "server CPU, instance " + instanceName(i) + " (%)",
					present ? result.serverCpuPercents()[i] : Double.NaN);
			double rss = present ? ProcStats.rssBytes(servers.get(i).pid()) / MIB : Double.NaN;
			table.put(name, point + "RSS, instance " + instanceName(i) + " (MiB)", rss);
			rssTotal += present ? rss : 0;
		}
		table.put(name, point + "RSS, all instances (MiB)", rssTotal);
		table.put(name, point + "redis-server CPU (%)", redisCpu);
		table.put(name, point + "load generator CPU (%)", result.clientCpuPercent());
		if (!finished) {
			throw new IllegalStateException("The publisher of " + name + " did not stop at " + point);
		}
	}

	private static boolean awaitSubscribers(List<ServerProcess> servers, int target, Duration max) throws Exception {
		long deadline = System.nanoTime() + max.toNanos();
		while (subscribed(servers) < target) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(50);
		}
		return true;
	}

	private static int subscribed(List<ServerProcess> servers) throws Exception {
		int total = 0;
		for (ServerProcess server : servers) {
			total += server.control().stats().subscribers();
		}
		return total;
	}

	private static String instanceName(int index) {
		return String.valueOf((char) ('A' + index));
	}

}
