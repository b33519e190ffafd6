package io.github.ssestarter.benchmarks.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Runs the chosen scenarios against the chosen servers, one server JVM at a time, and prints a
 * Markdown table per scenario.
 */
public final class ScenarioRunner {

	private static final int SPARE_FILES = 500;

	private static final Map<String, Scenario> SCENARIOS = Map.of("capacity", new CapacityScenario(), "fanout",
			new FanoutScenario(), "reconnect", new ReconnectScenario(), "slow", new SlowClientScenario(), "fanout2",
			new TwoInstanceFanoutScenario(), "disconnect", new DisconnectScenario());

	private final RunnerOptions options;

	/**
	 * Creates a runner.
	 * @param options the parsed command line
	 */
	public ScenarioRunner(RunnerOptions options) {
		this.options = options;
	}

	/**
	 * Runs everything asked for.
	 * @param out where the tables go
	 */
	public void run(PrintStream out) throws IOException, InterruptedException {
		checkOpenFilesLimit();
		Path logDir = this.options.logDir().orElseGet(() -> ServerClasspath.runnerDirectory().resolve("bench-logs"));
		ScenarioContext context = new ScenarioContext(this.options, new ServerLauncher(this.options, logDir));
		List<ServerSpec> servers = this.options.servers();
		context.log("servers %s, scenarios %s, server logs in %s",
				servers.stream().map(ServerSpec::name).toList(), this.options.scenarios(), logDir);
		for (String name : this.options.scenarios()) {
			Scenario scenario = SCENARIOS.get(name);
			List<String> names = servers.stream().map(ServerSpec::name).toList();
			ResultTable table = new ResultTable(scenario.title(), names, reference(scenario, names));
			for (ServerSpec server : servers) {
				runOne(scenario, name, server, context, table);
			}
			String markdown = table.toMarkdown();
			out.println(markdown);
			out.flush();
			if (this.options.out().isPresent()) {
				Files.writeString(this.options.out().get(), markdown + "\n", StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
		}
	}

	/**
	 * The server the ratio columns compare with: the scenario's, or {@value Servers#OURS_WEBFLUX}
	 * when only that one of the starter's servers is among those under test.
	 */
	private static String reference(Scenario scenario, List<String> servers) {
		String ours = scenario.ours();
		if (!servers.contains(ours) && servers.contains(Servers.OURS_WEBFLUX)) {
			return Servers.OURS_WEBFLUX;
		}
		return ours;
	}

	private void runOne(Scenario scenario, String name, ServerSpec server, ScenarioContext context, ResultTable table)
			throws InterruptedException {
		context.log("%s: %s (%s)", name, server.name(), server.description());
		try {
			scenario.run(server, context, table);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			table.note(server.name() + " failed: " + ex);
			context.log("%s: %s failed: %s", name, server.name(), ex);
		}
	}

	private void checkOpenFilesLimit() {
		int needed = this.options.scenarios()
			.stream()
			.mapToInt((name) -> SCENARIOS.get(name).maxSubscribers(this.options))
			.max()
			.orElse(0) + SPARE_FILES;
		long limit = ProcStats.openFilesLimit(ProcessHandle.current().pid());
		if (limit >= 0 && limit < needed) {
			System.err.printf("[bench] WARNING: open files limit is %d, these scenarios need about %d "
					+ "in this JVM and in each server JVM; raise it with 'ulimit -n %d' before starting%n", limit,
					needed, needed);
		}
	}

}
