package io.github.ssestarter.autoconfigure;

import java.util.Map;

import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.redis.RedisSseBackplane;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the Redis backplane when {@code sse.backplane=redis}: broadcaster topics are
 * Redis streams shared by every instance, through the application's Redis connection.
 */
@AutoConfiguration(before = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "sse.backplane", havingValue = "redis")
@EnableConfigurationProperties(SseProperties.class)
public final class SseRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SseBackplane.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	RedisSseBackplane sseBackplane(RedisConnectionFactory connections, SseProperties properties) {
		SseProperties.Replay replay = properties.getReplay();
		int capacity = Math.max(replay.getCapacity(), properties.getSubscriber().getQueueCapacity());
		return new RedisSseBackplane(connections, capacity, replay.getMaxAge());
	}

	/**
	 * Stops listening to Redis as the application stops, after the broadcaster's topics and before
	 * the Redis connections.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "sseBackplaneLifecycle")
	SmartLifecycle sseBackplaneLifecycle(ObjectProvider<RedisSseBackplane> backplane) {
		return new SseLifecycle(SseLifecycle.CONNECTIONS_PHASE, () -> backplane.ifAvailable(RedisSseBackplane::start),
				() -> backplane.ifAvailable(RedisSseBackplane::stop));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	static class BackplaneHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "sseBackplaneHealthIndicator")
		HealthIndicator sseBackplaneHealthIndicator(SseBackplane backplane) {
			return () -> {
				Map<String, Object> state = backplane.state();
				Health.Builder health = "UP".equals(state.get("status")) ? Health.up() : Health.down();
				return health.withDetails(state).build();
			};
		}

	}

}
