package io.github.ssestarter.internal.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Instances of the broadcast test application on a Redis backplane, stopped together at the end
 * of a test.
 */
final class RedisInstances implements AutoCloseable {

	static final Duration PATIENCE = Duration.ofSeconds(20);

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	/**
	 * Starts an instance on Redis at the given port.
	 * @param more further properties, as {@code --name=value}
	 */
	Instance start(int redisPort, String... more) {
		return start(RedisTestApplication.class, redisPort, more);
	}

	/**
	 * Starts an instance of an application on Redis at the given port.
	 * @param more further properties, as {@code --name=value}
	 */
	Instance start(Class<?> application, int redisPort, String... more) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put("sse.backplane", "redis");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", Integer.toString(redisPort));
		properties.put("spring.data.redis.timeout", "2s");
		properties.put("sse.heartbeat", "300ms");
		for (String argument : more) {
			String[] pair = argument.substring(2).split("=", 2);
			properties.put(pair[0], pair[1]);
		}
		String[] args = properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		SpringApplication instance = new SpringApplication(application);
		if (instance.getWebApplicationType() == WebApplicationType.REACTIVE) {
			instance.addInitializers(OwnNettyResources::register);
		}
		ConfigurableApplicationContext context = instance.run(args);
		this.started.add(context);
		return new Instance(context);
	}

	/** Stops every instance started so far. */
	@Override
	public void close() {
		this.started.forEach(ConfigurableApplicationContext::close);
		this.started.clear();
	}

	static List<String> data(SseTestClient.Stream stream, int count) {
		List<String> data = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			data.add(next(stream).data());
		}
		return data;
	}

	static SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).as("an event before the stream ends").isNotNull();
		return event;
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Reactor Netty resources of an instance's own on WebFlux: Spring Boot's are global to the JVM,
	 * so closing one instance would stop the server of the other, and each close would wait out the
	 * global resources' two-second quiet period.
	 */
	private static final class OwnNettyResources {

		static void register(ConfigurableApplicationContext context) {
			((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
				ReactorResourceFactory resources = new ReactorResourceFactory();
				resources.setUseGlobalResources(false);
				resources.setShutdownQuietPeriod(Duration.ZERO);
				return resources;
			});
		}

	}

	record Instance(ConfigurableApplicationContext context) {

		DefaultSseBroadcaster broadcaster() {
			return this.context.getBean(DefaultSseBroadcaster.class);
		}

		int port() {
			return ((WebServerApplicationContext) this.context).getWebServer().getPort();
		}

		SseTestClient client() {
			return new SseTestClient(port());
		}

	}

}
