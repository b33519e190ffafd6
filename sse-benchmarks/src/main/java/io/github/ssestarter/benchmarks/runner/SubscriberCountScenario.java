package io.github.ssestarter.benchmarks.runner;

import java.util.Collections;
import java.util.List;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * A scenario measured once per subscriber count ({@code --subscribers} or the scenario's
 * default), each time on a fresh server with a fresh load generator.
 */
abstract class SubscriberCountScenario implements Scenario {

	private final String label;

	private final String countName;

	private final List<Integer> defaultSubscribers;

	/**
	 * Creates a scenario.
	 * @param label names the servers' log files, followed by the subscriber count
	 * @param countName names the subscriber count in the rows, e.g. {@code S} for {@code S=1000: }
	 * @param defaultSubscribers the subscriber counts when none are given
	 */
	SubscriberCountScenario(String label, String countName, List<Integer> defaultSubscribers) {
		this.label = label;
		this.countName = countName;
		this.defaultSubscribers = defaultSubscribers;
	}

	@Override
	public int maxSubscribers(RunnerOptions options) {
		return Collections.max(options.subscribers(this.defaultSubscribers));
	}

	@Override
	public void run(ServerSpec spec, ScenarioContext context, ResultTable table) throws Exception {
		for (int subscribers : context.options().subscribers(this.defaultSubscribers)) {
			runOnFreshServer(spec, subscribers, context, table, this.countName + "=" + subscribers + ": ");
		}
	}

	/**
	 * Starts the server and a load generator for one subscriber count, measures, and closes both.
	 */
	void runOnFreshServer(ServerSpec spec, int subscribers, ScenarioContext context, ResultTable table, String prefix)
			throws Exception {
		try (ServerProcess server = context.launcher().start(spec, this.label + "-" + subscribers);
				LoadClient client = context.newClient(server)) {
			measure(server, client, subscribers, context, table, prefix);
		}
	}

	/**
	 * Measures one subscriber count on a server that has served nothing yet.
	 * @param server the server
	 * @param client the load generator, with no connections open yet
	 * @param subscribers how many subscribers to open
	 * @param context the scenario's context
	 * @param table where the results go
	 * @param prefix starts each row's name, e.g. {@code S=1000: }
	 */
	abstract void measure(ServerProcess server, LoadClient client, int subscribers, ScenarioContext context,
			ResultTable table, String prefix) throws Exception;

}
