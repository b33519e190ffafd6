package io.github.ssestarter.benchmarks.server.emitter;

import io.github.ssestarter.benchmarks.server.ControlConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The {@code emitter} baseline: emitters kept in a list, sent to one by one.
 */
@SpringBootApplication
@Import(ControlConfiguration.class)
public class EmitterServerApplication {

	/**
	 * Starts the server.
	 * @param args Spring Boot arguments, e.g. {@code --server.port=8080}
	 */
	public static void main(String[] args) {
		SpringApplication.run(EmitterServerApplication.class, args);
	}

}
