package io.github.ssestarter.benchmarks.runner;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.github.ssestarter.benchmarks.runner.ServerSpec.WebServer.JETTY;
import static io.github.ssestarter.benchmarks.runner.ServerSpec.WebServer.NETTY;
import static io.github.ssestarter.benchmarks.runner.ServerSpec.WebServer.TOMCAT;

/**
 * The servers that can be benchmarked, by name.
 *
 * <p>To add a server: write its Spring Boot application (a {@code BenchmarkTopic} bean, a
 * {@code GET /stream} controller and {@code @Import(ControlConfiguration.class)}) and add one line
 * below. The same application can run on either web stack: annotated controllers work on both.
 */
public final class Servers {

	/** The name of the server built on this project's starter; results are compared with it. */
	public static final String OURS = "starter";

	/** The starter's server with {@code sse.backplane=redis}, for the two-instance scenario. */
	public static final String OURS_REDIS = "starter-redis";

	/**
	 * The starter's server on Spring WebFlux: the same application as {@value #OURS}, run on Reactor
	 * Netty; the ratio columns compare with it when {@value #OURS} is not among the servers.
	 */
	public static final String OURS_WEBFLUX = "starter-webflux";

	/** The Redis server {@value #OURS_REDIS} uses: the local one, on loopback. */
	public static final String REDIS_HOST = "127.0.0.1";

	/** The port of {@link #REDIS_HOST}. */
	public static final int REDIS_PORT = 6379;

	private static final String PACKAGE = "io.github.ssestarter.benchmarks.server.";

	private static final Map<String, ServerSpec> ALL = List
		.of(new ServerSpec("emitter", PACKAGE + "emitter.EmitterServerApplication", TOMCAT, false,
				"SseEmitter list, send loop"),
				new ServerSpec("flux", PACKAGE + "flux.FluxServerApplication", TOMCAT, false,
						"Flux<ServerSentEvent> from a multicast sink"),
				new ServerSpec(OURS, PACKAGE + "starter.StarterServerApplication", TOMCAT, true,
						"sse-spring-boot-starter"),
				new ServerSpec(OURS_REDIS, PACKAGE + "starter.StarterServerApplication", TOMCAT, true, true,
						"sse-spring-boot-starter, sse.backplane=redis",
						List.of("--sse.backplane=redis", "--spring.data.redis.host=" + REDIS_HOST,
								"--spring.data.redis.port=" + REDIS_PORT)),
				new ServerSpec("flux-webflux", PACKAGE + "flux.FluxServerApplication", NETTY, false,
						"Flux<ServerSentEvent> from a multicast sink, on Spring WebFlux"),
				new ServerSpec(OURS_WEBFLUX, PACKAGE + "starter.StarterServerApplication", NETTY, true,
						"sse-spring-boot-starter-webflux"),
				new ServerSpec("starter-jetty", PACKAGE + "starter.StarterServerApplication", JETTY, true,
						"sse-spring-boot-starter on Jetty 12"),
				// no Spring at all; TOMCAT only selects the class path, of which it loads none
				new ServerSpec("raw", PACKAGE + "raw.RawServer", TOMCAT, false,
						"plain java.nio, no framework (the machine's floor)"))
		.stream()
		.collect(Collectors.toUnmodifiableMap(ServerSpec::name, Function.identity()));

	private Servers() {
	}

	/**
	 * Looks a server up.
	 * @param name its name
	 * @return the server
	 * @throws IllegalArgumentException when no server has that name
	 */
	public static ServerSpec byName(String name) {
		ServerSpec spec = ALL.get(name);
		if (spec == null) {
			throw new IllegalArgumentException("Unknown server '" + name + "'; known: " + ALL.keySet());
		}
		return spec;
	}

}
