package io.github.ssestarter.benchmarks.runner;

/**
 * One benchmark scenario, run once per server under test; it starts the servers it needs.
 */
interface Scenario {

	/**
	 * The title of the scenario's table.
	 */
	String title();

	/**
	 * The server the ratio columns compare the others with: {@code ours / other}.
	 */
	default String ours() {
		return Servers.OURS;
	}

	/**
	 * The most subscribers the scenario will open at once with the given options.
	 */
	int maxSubscribers(RunnerOptions options);

	/**
	 * Runs the scenario against one server, recording into the server's column of the table.
	 */
	void run(ServerSpec server, ScenarioContext context, ResultTable table) throws Exception;

}
