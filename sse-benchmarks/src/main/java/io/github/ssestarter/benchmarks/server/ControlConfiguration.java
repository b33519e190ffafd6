package io.github.ssestarter.benchmarks.server;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
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

	/**
	 * Tomcat's settings, for the servers on Spring MVC.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatConnectorCustomizer")
	static class TomcatSettings {

		/**
		 * Tomcat's per-connection socket buffers ({@code socket.appReadBufSize} and
		 * {@code socket.appWriteBufSize}, 8 KiB each by default), which Spring Boot has no property
		 * for. Set with {@code -Dbench.tomcat.socket-buffer=1024} (in {@code --jvm-args}, so every
		 * server gets the same); 0, the default, leaves Tomcat's.
		 * @param size the buffer size in bytes, 0 for Tomcat's default
		 * @return the customizer
		 */
		@Bean
		TomcatConnectorCustomizer benchmarkSocketBuffers(@Value("${bench.tomcat.socket-buffer:0}") int size) {
			return (connector) -> {
				if (size > 0) {
					connector.setProperty("socket.appReadBufSize", Integer.toString(size));
					connector.setProperty("socket.appWriteBufSize", Integer.toString(size));
				}
			};
		}

	}

}
