package io.github.ssestarter.benchmarks;

import io.github.ssestarter.benchmarks.runner.RunnerOptions;
import io.github.ssestarter.benchmarks.runner.ScenarioRunner;

/**
 * Command-line entry point: parses the options and runs the scenarios; {@code --help} lists the
 * options. Tables go to standard output, progress to standard error.
 */
public final class BenchmarkRunner {

	private BenchmarkRunner() {
	}

	/**
	 * Runs the benchmarks.
	 * @param args the options, see {@link RunnerOptions#usage()}
	 * @throws Exception when the run cannot go on
	 */
	public static void main(String[] args) throws Exception {
		RunnerOptions options;
		try {
			options = RunnerOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(RunnerOptions.usage());
			System.exit(2);
			return;
		}
		if (options.help()) {
			System.out.print(RunnerOptions.usage());
			return;
		}
		new ScenarioRunner(options).run(System.out);
		System.exit(0);
	}

}
