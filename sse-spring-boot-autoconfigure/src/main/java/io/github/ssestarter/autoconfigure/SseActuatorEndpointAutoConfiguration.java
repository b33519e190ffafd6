package io.github.ssestarter.autoconfigure;

import io.github.ssestarter.internal.actuate.SseActuatorEndpoint;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.SseConnectionManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code sse} Actuator endpoint, created when Actuator is present and
 * the endpoint is available (enabled and exposed).
 */
@AutoConfiguration(after = { SseAutoConfiguration.class, EndpointAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(SseActuatorEndpoint.class)
public final class SseActuatorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseActuatorEndpoint sseActuatorEndpoint(ObjectProvider<SseConnectionManager> connections,
			ObjectProvider<DefaultSseBroadcaster> broadcaster, ObjectProvider<ResumableStreams> resumableStreams) {
		return new SseActuatorEndpoint(connections.getIfAvailable(), broadcaster.getIfAvailable(),
				resumableStreams.getIfAvailable());
	}

}
