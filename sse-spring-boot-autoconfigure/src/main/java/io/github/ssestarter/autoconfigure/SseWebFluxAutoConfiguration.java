package io.github.ssestarter.autoconfigure;

import io.github.ssestarter.SseTopicAuthorizer;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.webflux.ReactiveLastEventIdResolver;
import io.github.ssestarter.internal.webflux.ReactiveStreams;
import io.github.ssestarter.internal.webflux.ResumingHandlerAdapter;
import io.github.ssestarter.internal.webflux.SseProblemHandler;
import io.github.ssestarter.internal.webflux.SseResultHandler;
import io.github.ssestarter.internal.wire.SseFrameEncoder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.reactive.result.method.annotation.ResponseBodyResultHandler;

/**
 * Auto-configuration for Server-Sent Events on Spring WebFlux: controller methods that ask for an
 * event stream (see {@link io.github.ssestarter.SseEndpoint}) are answered with one, by the same
 * rules as on Spring MVC, and what the starter refuses is answered with problem details.
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(DispatcherHandler.class)
@ConditionalOnBean(SseConnectionManager.class)
public final class SseWebFluxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveStreams sseReactiveStreams(SseConnectionManager connections) {
		return new ReactiveStreams(connections);
	}

	@Bean
	@ConditionalOnMissingBean
	SseResultHandler sseResultHandler(ReactiveStreams streams, SseFrameEncoder encoder, SseProperties properties,
			ObjectProvider<SseTopicAuthorizer> authorizer, ResumableStreams resumableStreams,
			ApplicationContext context) {
		SseEndpointSettings defaults = new SseEndpointSettings(null, properties.getHeartbeat(),
				properties.getTimeout(), properties.getRetry());
		return new SseResultHandler(streams, encoder, defaults, properties.getMaxLastEventIdLength(),
				authorizer.getIfAvailable(() -> (user, topic) -> true), resumableStreams, context.getClassLoader());
	}

	/**
	 * Resumes resumable streams before their controller method would run; every other request goes
	 * to WebFlux's adapter of controller methods.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RequestMappingHandlerAdapter.class)
	ResumingHandlerAdapter sseResumingHandlerAdapter(SseResultHandler handler, ResumableStreams streams,
			ReactiveStreams connections, RequestMappingHandlerAdapter controllers, SseProperties properties) {
		return new ResumingHandlerAdapter(handler, streams, connections, controllers,
				properties.getMaxLastEventIdLength());
	}

	/**
	 * Gives the result handler WebFlux's handler of response bodies, for requests that negotiate
	 * another media type than {@code text/event-stream}, and checks every event stream method's
	 * settings at startup.
	 */
	@Bean
	SmartInitializingSingleton sseResultHandlerCheck(SseResultHandler handler,
			ObjectProvider<ResponseBodyResultHandler> bodies, ObjectProvider<RequestMappingHandlerMapping> mappings) {
		return () -> {
			bodies.ifAvailable(handler::setFallback);
			mappings.orderedStream().forEach((mapping) -> handler.checkEndpoints(mapping.getHandlerMethods().values()));
		};
	}

	@Bean
	@ConditionalOnMissingBean
	SseProblemHandler sseProblemHandler() {
		return new SseProblemHandler();
	}

	@Bean
	@ConditionalOnMissingBean(name = "sseLastEventIdWebFluxConfigurer")
	WebFluxConfigurer sseLastEventIdWebFluxConfigurer(SseProperties properties) {
		ReactiveLastEventIdResolver resolver = new ReactiveLastEventIdResolver(properties.getMaxLastEventIdLength());
		return new WebFluxConfigurer() {

			@Override
			public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
				configurer.addCustomResolver(resolver);
			}

		};
	}

}
