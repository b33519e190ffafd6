package io.github.ssestarter.benchmarks.runner;

import io.github.ssestarter.benchmarks.load.LoadClient;

/**
 * What a scenario works with: the options, the server launcher, the load generator's settings and
 * a progress log.
 */
final class ScenarioContext {

	private final RunnerOptions options;

	private final ServerLauncher launcher;

	ScenarioContext(RunnerOptions options, ServerLauncher launcher) {
		this.options = options;
		this.launcher = launcher;
	}

	RunnerOptions options() {
		return this.options;
	}

	ServerLauncher launcher() {
		return this.launcher;
	}

	LoadClient newClient(ServerProcess server) {
		return new LoadClient(server.address(), LoadClient.loopbackSources(this.options.sourceAddresses()),
				this.options.clientThreads(), this.options.maxHandshakes(), this.options.connectRate());
	}

	/**
	 * A load generator for several instances of a server: connections go to them in turn.
	 */
	LoadClient newClient(java.util.List<ServerProcess> servers) {
		return new LoadClient(servers.stream().map(ServerProcess::address).toList(),
				LoadClient.loopbackSources(this.options.sourceAddresses()), this.options.clientThreads(),
				this.options.maxHandshakes(), this.options.connectRate());
	}

	void log(String format, Object... args) {
		System.err.printf("[bench] " + format + "%n", args);
	}

}
