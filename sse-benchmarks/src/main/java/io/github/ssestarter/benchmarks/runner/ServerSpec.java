package io.github.ssestarter.benchmarks.runner;

import java.util.List;
import java.util.Objects;

/**
 * A server under test: the name it is chosen by on the command line and the main class of the
 * Spring Boot application that implements the benchmark contract.
 *
 * @param name the name, e.g. {@code emitter}
 * @param mainClass the fully qualified main class
 * @param server the web server (and so the web stack) the server runs on: the runner keeps the other
 * servers' jars off its class path, so that Spring Boot picks this one
 * @param usesStarter whether the server needs the starter on its class path; baselines run
 * without it, exactly as an application that does not use it
 * @param usesRedis whether the server needs Spring Data Redis (and a Redis server): the runner
 * strips Spring Data Redis and Lettuce (and Netty, unless the stack needs it) from the class path
 * of the others, and gives each run of this one a fresh topic name
 * @param description a short description for the result tables
 * @param arguments more Spring Boot arguments for the server, e.g. {@code --sse.backplane=redis}
 */
public record ServerSpec(String name, String mainClass, WebServer server, boolean usesStarter, boolean usesRedis,
		String description, List<String> arguments) {

	/**
	 * Checks the components.
	 */
	public ServerSpec {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(mainClass, "mainClass must not be null");
		Objects.requireNonNull(server, "server must not be null");
		Objects.requireNonNull(description, "description must not be null");
		arguments = List.copyOf(arguments);
	}

	/**
	 * A server that needs no Redis and no extra arguments.
	 */
	public ServerSpec(String name, String mainClass, WebServer server, boolean usesStarter, String description) {
		this(name, mainClass, server, usesStarter, false, description, List.of());
	}

	/**
	 * The web server a server under test runs on, and with it the web stack.
	 */
	public enum WebServer {

		/** Spring MVC on Tomcat, Spring Boot's default. */
		TOMCAT,

		/** Spring MVC on Jetty 12. */
		JETTY,

		/** Spring WebFlux on Reactor Netty. */
		NETTY

	}

}
