package io.github.ssestarter.benchmarks.server.flux;

import io.github.ssestarter.benchmarks.server.ControlConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The {@code flux} baseline: one multicast sink, a buffered {@code Flux} per subscriber.
 */
@SpringBootApplication
@Import(ControlConfiguration.class)
public class FluxServerApplication {

	/**
	 * Starts the server.
	 * @param args Spring Boot arguments, e.g. {@code --server.port=8080}
	 */
	public static void main(String[] args) {
		SpringApplication.run(FluxServerApplication.class, args);
	}

}
