package io.github.ssestarter.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.internal.webmvc.SseReturnValueHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Puts the {@link SseReturnValueHandler} ahead of Spring MVC's own return value handlers, which
 * would otherwise claim {@code Flux} (and handlers added through {@code WebMvcConfigurer} come
 * last), and gives it Spring MVC's handlers for requests that negotiate another media type.
 */
final class SseReturnValueHandlerRegistrar implements BeanPostProcessor {

	private final ObjectProvider<SseReturnValueHandler> handler;

	SseReturnValueHandlerRegistrar(ObjectProvider<SseReturnValueHandler> handler) {
		this.handler = handler;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RequestMappingHandlerAdapter adapter) {
			SseReturnValueHandler sseHandler = this.handler.getIfAvailable();
			List<HandlerMethodReturnValueHandler> current = adapter.getReturnValueHandlers();
			if (sseHandler != null && current != null && !current.contains(sseHandler)) {
				List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(current.size() + 1);
				handlers.add(sseHandler);
				handlers.addAll(current);
				adapter.setReturnValueHandlers(handlers);
				HandlerMethodReturnValueHandlerComposite springHandlers = new HandlerMethodReturnValueHandlerComposite();
				springHandlers.addHandlers(current);
				sseHandler.setFallback(springHandlers);
			}
		}
		return bean;
	}

}
