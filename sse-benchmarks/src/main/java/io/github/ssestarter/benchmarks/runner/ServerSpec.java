package io.github.ssestarter.benchmarks.runner;

import java.util.Objects;

/**
 * A server under test: the name it is chosen by on the command line and the main class of the
 * Spring Boot application that implements the benchmark contract.
 *
 * @param name the name, e.g. {@code emitter}
 * @param mainClass the fully qualified main class
 * @param usesStarter whether the server needs the starter on its class path; baselines run
 * without it, exactly as an application that does not use it
 * @param description a short description for the result tables
 */
public record ServerSpec(String name, String mainClass, boolean usesStarter, String description) {

	/**
	 * Checks the components.
	 */
	public ServerSpec {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(mainClass, "mainClass must not be null");
		Objects.requireNonNull(description, "description must not be null");
	}

}
