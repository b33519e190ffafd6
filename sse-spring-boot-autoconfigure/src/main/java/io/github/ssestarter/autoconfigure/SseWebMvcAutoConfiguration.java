package io.github.ssestarter.autoconfigure;

import java.util.List;

import io.github.ssestarter.SseTopicAuthorizer;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.webmvc.LastEventIdArgumentResolver;
import io.github.ssestarter.internal.webmvc.ResumingInterceptor;
import io.github.ssestarter.internal.webmvc.ServletStreams;
import io.github.ssestarter.internal.webmvc.SseProblemResolver;
import io.github.ssestarter.internal.webmvc.SseReturnValueHandler;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Auto-configuration for Server-Sent Events on Spring MVC: controller methods that ask for an
 * event stream (see {@link io.github.ssestarter.SseEndpoint}) are answered with one, resumable
 * streams are resumed, and what the starter refuses is answered with problem details.
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(SseConnectionManager.class)
public final class SseWebMvcAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SseWebMvcAutoConfiguration.class);

	/**
	 * Says so when Spring WebFlux is on the class path too: Spring Boot then runs the application on
	 * Spring MVC, which this starter brings, and a WebFlux application would have been switched
	 * silently. Quiet once the application chose its web stack itself.
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	SmartInitializingSingleton sseWebStackNotice(Environment environment) {
		return () -> {
			if (!environment.containsProperty("spring.main.web-application-type")) {
				logger.info("Spring WebFlux is on the class path too, but this application runs on Spring MVC, which "
						+ "sse-spring-boot-starter brings (Spring Boot prefers MVC when both are there). For a WebFlux "
						+ "application, depend on sse-spring-boot-starter-webflux instead; to keep Spring MVC, set "
						+ "spring.main.web-application-type=servlet, which also silences this.");
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	ServletStreams sseServletStreams(SseConnectionManager connections, SseProperties properties) {
		return new ServletStreams(connections, (int) properties.getResponseBufferSize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	SseReturnValueHandler sseReturnValueHandler(ServletStreams connections, SseFrameEncoder encoder,
			SseProperties properties, ResumableStreams resumableStreams, ObjectProvider<SseTopicAuthorizer> authorizer,
			ApplicationContext context) {
		SseEndpointSettings defaults = new SseEndpointSettings(null, properties.getHeartbeat(),
				properties.getTimeout(), properties.getRetry());
		return new SseReturnValueHandler(connections, encoder, defaults, properties.getMaxLastEventIdLength(),
				resumableStreams, authorizer.getIfAvailable(() -> (user, topic) -> true), context.getClassLoader());
	}

	@Bean
	SmartInitializingSingleton sseEndpointCheck(SseReturnValueHandler handler,
			ObjectProvider<RequestMappingHandlerMapping> mappings) {
		return () -> mappings.orderedStream().forEach((mapping) -> handler.checkEndpoints(mapping.getHandlerMethods().values()));
	}

	@Bean
	static BeanPostProcessor sseReturnValueHandlerRegistrar(ObjectProvider<SseReturnValueHandler> handler) {
		return new SseReturnValueHandlerRegistrar(handler);
	}

	@Bean
	@ConditionalOnMissingBean
	SseProblemResolver sseProblemResolver() {
		return new SseProblemResolver();
	}

	@Bean
	@ConditionalOnMissingBean(name = "sseLastEventIdConfigurer")
	WebMvcConfigurer sseLastEventIdConfigurer(SseProperties properties) {
		LastEventIdArgumentResolver resolver = new LastEventIdArgumentResolver(properties.getMaxLastEventIdLength());
		return new WebMvcConfigurer() {

			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(resolver);
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean(name = "sseResumingConfigurer")
	WebMvcConfigurer sseResumingConfigurer(ObjectProvider<SseReturnValueHandler> handler,
			ObjectProvider<ResumableStreams> streams, ObjectProvider<ServletStreams> connections,
			SseProperties properties) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new ResumingInterceptor(handler.getObject(), streams.getObject(),
						connections.getObject(), properties.getMaxLastEventIdLength()));
			}

		};
	}

}
