package io.github.ssestarter.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.observation.DefaultSsePublishObservationConvention;
import io.github.ssestarter.observation.SsePublishObservationContext;
import io.github.ssestarter.observation.SsePublishObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's {@code ObservationRegistry} and conventions, given to the broadcaster, unless
 * observations are switched off.
 */
class SseObservationAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class));

	@Test
	void observesPublicationAndDeliveryWithTheApplicationsRegistry() {
		this.runner.withUserConfiguration(RegistryConfiguration.class).run((context) -> {
			context.getBean(SseBroadcaster.class).publish("news", "hello");
			assertThat(context.getBean(RecordingHandler.class).stopped).containsExactly("sse.delivery", "sse.publish");
		});
	}

	@Test
	void observesNothingWhenSwitchedOff() {
		this.runner.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("sse.observations.enabled=false")
			.run((context) -> {
				context.getBean(SseBroadcaster.class).publish("news", "hello");
				assertThat(context.getBean(RecordingHandler.class).stopped).isEmpty();
			});
	}

	@Test
	void namesPublicationsAsTheApplicationsConventionSays() {
		this.runner.withUserConfiguration(RegistryConfiguration.class, ConventionConfiguration.class).run((context) -> {
			context.getBean(SseBroadcaster.class).publish("news", "hello");
			assertThat(context.getBean(RecordingHandler.class).stopped).containsExactly("sse.delivery",
					"orders.publish");
		});
	}

	@Test
	void publishesWithoutAnObservationRegistry() {
		this.runner.run((context) -> assertThat(context.getBean(SseBroadcaster.class).publish("news", "hello"))
			.isNotEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		ObservationRegistry observationRegistry(RecordingHandler handler) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(handler);
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConventionConfiguration {

		@Bean
		SsePublishObservationConvention ordersConvention() {
			return new DefaultSsePublishObservationConvention() {

				@Override
				public String getName() {
					return "orders.publish";
				}

			};
		}

	}

	static class RecordingHandler implements ObservationHandler<Observation.Context> {

		final List<String> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context.getName());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
