package io.github.ssestarter.internal.webmvc;

import io.github.ssestarter.LastEventId;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.internal.web.LastEventIds;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.server.ResponseStatusException;

/**
 * Resolves {@link LastEventId @LastEventId} parameters from the {@code Last-Event-ID} header, or
 * from the {@code lastEventId} query parameter when the header is absent.
 */
public final class LastEventIdArgumentResolver implements HandlerMethodArgumentResolver {

	/** The header browsers send when they reconnect. */
	public static final String HEADER = LastEventIds.HEADER;

	/** The query parameter for clients that cannot set headers. */
	public static final String QUERY_PARAMETER = LastEventIds.QUERY_PARAMETER;

	private final int maxLength;

	/**
	 * Creates a resolver.
	 * @param maxLength the longest id accepted, in characters
	 */
	public LastEventIdArgumentResolver(int maxLength) {
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
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		if (parameter.getParameterType() != String.class) {
			throw new IllegalStateException("@LastEventId needs a String parameter: " + parameter);
		}
		return resolve(webRequest, this.maxLength);
	}

	/**
	 * The last event id the request carries, checked.
	 * @param request the request
	 * @param maxLength the longest id accepted
	 * @return the id, or {@code null} if the request carries none
	 * @throws ResponseStatusException with {@code 400} if the id is too long or has control characters
	 */
	public static @Nullable String resolve(NativeWebRequest request, int maxLength) {
		return LastEventIds.check(request.getHeader(HEADER), request.getParameter(QUERY_PARAMETER), maxLength);
	}

}
