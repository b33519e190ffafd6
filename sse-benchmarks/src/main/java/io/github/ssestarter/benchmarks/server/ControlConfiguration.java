package io.github.ssestarter.benchmarks.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Adds the benchmark's publisher and control endpoints to a server under test; the server's
 * application class imports it and declares one {@link BenchmarkTopic} bean.
 */
@Configuration(proxyBeanMethods = false)
@Import(ControlController.class)
public class ControlConfiguration {

	@Bean
	Publisher benchmarkPublisher(BenchmarkTopic topic) {
		return new Publisher(topic);
	}

}
