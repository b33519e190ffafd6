package io.github.ssestarter.autoconfigure;


import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseDataEncoder;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.broadcast.BroadcastSettings;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import io.github.ssestarter.observation.SseDeliveryObservationConvention;
import io.github.ssestarter.observation.SsePublishObservationConvention;
import io.github.ssestarter.observation.SseStreamObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of what Server-Sent Events share on either web stack: the
 * {@link SseBroadcaster} that publishes to topics, resumable streams, and the admission and
 * bookkeeping of open streams. {@link SseWebMvcAutoConfiguration} answers Spring MVC's controller
 * methods that ask for an event stream with one.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication
@EnableConfigurationProperties(SseProperties.class)
public final class SseAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseFrameEncoder sseFrameEncoder(ObjectProvider<SseDataEncoder> dataEncoder) {
		return new SseFrameEncoder(dataEncoder.getIfAvailable(() -> SseAutoConfiguration::noDataEncoder));
	}

	@Bean
	@ConditionalOnMissingBean
	SseConnectionManager sseConnectionManager(SseProperties properties, ObjectProvider<SseListener> listeners,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<SseStreamObservationConvention> observationConvention) {
		SseConnectionManager manager = new SseConnectionManager(properties.getExecutor().getMaxPlatformThreads(),
				properties.getMaxConnections(), properties.getMaxConnectionsPerUser(), listener(listeners));
		if (properties.getObservations().isEnabled()) {
			observationRegistry.ifAvailable(manager::setObservationRegistry);
			observationConvention.ifAvailable(manager::setObservationConvention);
		}
		return manager;
	}

	@Bean
	@ConditionalOnMissingBean
	ResumableStreams sseResumableStreams(SseFrameEncoder encoder, SseProperties properties,
			ObjectProvider<SseListener> listeners, ObjectProvider<SseBackplane> backplane) {
		SseProperties.Resume resume = properties.getResume();
		ResumableStreams streams = new ResumableStreams(resume.getCapacity(), resume.getMaxDetached(),
				properties.getReplay().getResetEventType(), encoder, listener(listeners));
		backplane.ifAvailable((shared) -> {
			SseBackplane.StreamLogs logs = shared.streamLogs();
			if (logs != null) {
				streams.shareThrough(logs);
			}
		});
		return streams;
	}

	/**
	 * Cancels resumable streams as the application stops, while the shared log (if any) can still
	 * tell other instances, whose clients then start afresh: the sources stop with this instance.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "sseResumableStreamsLifecycle")
	SmartLifecycle sseResumableStreamsLifecycle(ResumableStreams streams) {
		return new SseLifecycle(SseLifecycle.BROADCAST_PHASE, streams::activate, streams::deactivate);
	}

	/**
	 * Lets streams open once the application is ready, and ends them as it stops.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "sseConnectionsLifecycle")
	SmartLifecycle sseConnectionsLifecycle(SseConnectionManager connections) {
		return new SseLifecycle(SseLifecycle.CONNECTIONS_PHASE, connections::start, connections::stop);
	}

	/**
	 * Retires idle topics while the application runs, and gives subscribers a last moment to
	 * receive what was published as it stops.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "sseBroadcasterLifecycle")
	SmartLifecycle sseBroadcasterLifecycle(ObjectProvider<DefaultSseBroadcaster> broadcaster) {
		return new SseLifecycle(SseLifecycle.BROADCAST_PHASE, () -> broadcaster.ifAvailable(DefaultSseBroadcaster::start),
				() -> broadcaster.ifAvailable(DefaultSseBroadcaster::stop));
	}

	/**
	 * The broadcaster. An application may put its own {@link SseBroadcaster} in front of it (marked
	 * {@code @Primary}, delegating to this one, to audit publications, say): this one stays in
	 * place, since subscriptions, the Actuator endpoint and metrics need its topics.
	 */
	@Bean
	@ConditionalOnMissingBean(DefaultSseBroadcaster.class)
	DefaultSseBroadcaster sseBroadcaster(SseFrameEncoder encoder, SseProperties properties,
			ObjectProvider<SseBackplane> backplane, ObjectProvider<SseListener> listeners,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<SsePublishObservationConvention> publishConvention,
			ObjectProvider<SseDeliveryObservationConvention> deliveryConvention) {
		SseProperties.Replay replay = properties.getReplay();
		SseProperties.Subscriber subscriber = properties.getSubscriber();
		BroadcastSettings settings = new BroadcastSettings(replay.getCapacity(), replay.getMaxAge(),
				replay.getResetEventType(), subscriber.getQueueCapacity(), subscriber.getOverflowPolicy());
		SseBackplane log = backplane.getIfAvailable();
		if (log == null && properties.getBackplane() == SseProperties.Backplane.REDIS) {
			throw new IllegalStateException("sse.backplane=redis needs Spring Data Redis on the class path and a "
					+ "RedisConnectionFactory (spring-boot-starter-data-redis and spring.data.redis.*)");
		}
		DefaultSseBroadcaster broadcaster = (log != null)
				? new DefaultSseBroadcaster(encoder, settings, listener(listeners), log)
				: new DefaultSseBroadcaster(encoder, settings, listener(listeners));
		broadcaster.setAfterCommitTimeout(properties.getAfterCommitTimeout());
		if (properties.getObservations().isEnabled()) {
			observationRegistry.ifAvailable(broadcaster::setObservationRegistry);
			publishConvention.ifAvailable(broadcaster::setPublishObservationConvention);
			deliveryConvention.ifAvailable(broadcaster::setDeliveryObservationConvention);
		}
		return broadcaster;
	}

	private static SseListener listener(ObjectProvider<SseListener> listeners) {
		return SseListener.composite(listeners.orderedStream().toList());
	}

	private static String noDataEncoder(Object data) {
		throw new IllegalArgumentException("Cannot write " + data.getClass().getName()
				+ " as event data: no JSON mapper is available; send Strings or define an SseDataEncoder bean");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonDataEncoderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(JsonMapper.class)
		SseDataEncoder sseDataEncoder(JsonMapper jsonMapper) {
			return jsonMapper::writeValueAsString;
		}

	}

}
