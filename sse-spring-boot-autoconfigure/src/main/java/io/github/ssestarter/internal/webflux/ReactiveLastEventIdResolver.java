package io.github.ssestarter.internal.webflux;

import io.github.ssestarter.LastEventId;
import io.github.ssestarter.internal.web.LastEventIds;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves {@link LastEventId @LastEventId} parameters of WebFlux controller methods from the
 * {@code Last-Event-ID} header, or from the {@code lastEventId} query parameter when the header is
 * absent; an id that is too long or has control characters is answered with {@code 400}.
 */
public final class ReactiveLastEventIdResolver implements SyncHandlerMethodArgumentResolver {

	private final int maxLength;

	/**
	 * Creates a resolver.
	 * @param maxLength the longest id accepted, in characters
	 */
	public ReactiveLastEventIdResolver(int maxLength) {
		if (maxLength < 1) {
			throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
		}
		this.maxLength = maxLength;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(LastEventId.class);
	}

	@Override
	public @Nullable Object resolveArgumentValue(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		if (parameter.getParameterType() != String.class) {
			throw new IllegalStateException("@LastEventId needs a String parameter: " + parameter);
		}
		return LastEventIds.check(exchange.getRequest().getHeaders().getFirst(LastEventIds.HEADER),
				exchange.getRequest().getQueryParams().getFirst(LastEventIds.QUERY_PARAMETER), this.maxLength);
	}

}
