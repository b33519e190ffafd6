package io.github.ssestarter.benchmarks.server.starter;

import io.github.ssestarter.benchmarks.server.ControlConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The {@code starter} server: the starter's auto-configured {@code SseBroadcaster}, one topic.
 * Its {@code sse.*} settings are in {@code starter.properties}.
 */
@SpringBootApplication
@Import(ControlConfiguration.class)
@PropertySource("classpath:starter.properties")
public class StarterServerApplication {

	/**
	 * Starts the server.
	 * @param args Spring Boot arguments, e.g. {@code --server.port=8080}
	 */
	public static void main(String[] args) {
		SpringApplication.run(StarterServerApplication.class, args);
	}

}
