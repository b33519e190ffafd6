package io.github.ssestarter.autoconfigure;

import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.redis.RedisSseBackplane;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis backplane is configured only when asked for, and says what is missing otherwise.
 */
class SseRedisAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class, SseRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class));

	@Test
	void keepsTopicsInMemoryByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(SseBackplane.class);
			assertThat(context.getBean(DefaultSseBroadcaster.class).backplaneState()).isNull();
		});
	}

	@Test
	void sharesTopicsThroughRedisWhenAskedTo() {
		this.contextRunner.withPropertyValues("sse.backplane=redis").run((context) -> {
			assertThat(context).hasSingleBean(RedisSseBackplane.class);
			assertThat(context.getBean(DefaultSseBroadcaster.class).backplaneState()).containsEntry("type", "redis");
			assertThat(context).hasBean("sseBackplaneHealthIndicator");
			assertThat(context.getBean("sseBackplaneHealthIndicator", HealthIndicator.class).health(true).getStatus()
				.getCode()).isEqualTo("UP");
		});
	}

	@Test
	void refusesToStartWithRedisAskedForButAbsent() {
		this.contextRunner.withPropertyValues("sse.backplane=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sse.backplane=redis needs Spring Data Redis"));
	}

	@Test
	void backsOffToTheUsersBackplane() {
		this.contextRunner.withPropertyValues("sse.backplane=redis")
			.withBean("myBackplane", SseBackplane.class,
					() -> new RedisSseBackplane(org.mockito.Mockito.mock(RedisConnectionFactory.class), 10,
							java.time.Duration.ofMinutes(1)))
			.run((context) -> assertThat(context).getBeanNames(SseBackplane.class).containsExactly("myBackplane"));
	}

}
