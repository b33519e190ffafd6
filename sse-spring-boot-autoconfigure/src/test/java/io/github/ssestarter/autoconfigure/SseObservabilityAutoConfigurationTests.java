package io.github.ssestarter.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.actuate.SseActuatorEndpoint;
import io.github.ssestarter.internal.actuate.SseMetrics;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Micrometer and Actuator auto-configurations: present when their libraries and beans are,
 * absent otherwise, and backing off to the application's own beans.
 */
class SseObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class,
				SseMetricsAutoConfiguration.class, SseActuatorEndpointAutoConfiguration.class));

	@Test
	void recordsMetricsWhenThereIsAMeterRegistry() {
		this.runner.withUserConfiguration(RegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SseMetrics.class);
			context.getBean(SseBroadcaster.class).publish("news", "hello");
			assertThat(context.getBean(MeterRegistry.class).get("sse.events.published").tag("topic", "news")
				.counter().count()).isEqualTo(1);
		});
	}

	@Test
	void recordsNoMetricsWithoutAMeterRegistry() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(SseMetrics.class);
			assertThat(context).hasSingleBean(SseConnectionManager.class);
		});
	}

	@Test
	void recordsNoMetricsWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(SseMetrics.class);
			assertThat(context).hasSingleBean(SseConnectionManager.class);
		});
	}

	@Test
	void backsOffToTheApplicationsOwnMetrics() {
		this.runner.withUserConfiguration(RegistryConfiguration.class, CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SseMetrics.class)
				.getBean(SseMetrics.class)
				.isSameAs(context.getBean(CustomMetricsConfiguration.class).metrics));
	}

	@Test
	void tellsEveryListenerBean() {
		this.runner.withUserConfiguration(ListenersConfiguration.class).run((context) -> {
			context.getBean(SseBroadcaster.class).publish("news", "hello");
			assertThat(context.getBean(ListenersConfiguration.class).published).containsExactly("first:news",
					"second:news");
		});
	}

	@Test
	void providesTheEndpointWhenItIsExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).hasSingleBean(SseActuatorEndpoint.class));
	}

	@Test
	void providesNoEndpointWhenItIsNotExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SseActuatorEndpoint.class));
	}

	@Test
	void providesNoEndpointWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SseActuatorEndpoint.class);
			});
	}

	@Test
	void backsOffToTheApplicationsOwnEndpoint() {
		this.runner.withUserConfiguration(CustomEndpointConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).hasSingleBean(SseActuatorEndpoint.class)
				.getBean(SseActuatorEndpoint.class)
				.isSameAs(context.getBean(CustomEndpointConfiguration.class).endpoint));
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		final SseMetrics metrics = new SseMetrics(new SimpleMeterRegistry());

		@Bean
		SseMetrics customSseMetrics() {
			return this.metrics;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		final SseActuatorEndpoint endpoint = new SseActuatorEndpoint(null, null, null);

		@Bean
		SseActuatorEndpoint customSseEndpoint() {
			return this.endpoint;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenersConfiguration {

		final List<String> published = new ArrayList<>();

		@Bean
		@org.springframework.core.annotation.Order(1)
		SseListener firstListener() {
			return new SseListener() {

				@Override
				public void eventPublished(String topic) {
					ListenersConfiguration.this.published.add("first:" + topic);
				}

			};
		}

		@Bean
		@org.springframework.core.annotation.Order(2)
		SseListener secondListener() {
			return new SseListener() {

				@Override
				public void eventPublished(String topic) {
					ListenersConfiguration.this.published.add("second:" + topic);
				}

			};
		}

	}

}
