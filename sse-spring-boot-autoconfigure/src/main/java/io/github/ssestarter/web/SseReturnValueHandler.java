package io.github.ssestarter.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.broadcast.SseBackplaneException;
import io.github.ssestarter.broadcast.SseSink;
import io.github.ssestarter.broadcast.TopicSubscription;
import jakarta.servlet.http.HttpServletRequest;
import io.github.ssestarter.wire.SseFrameEncoder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers controller methods that return a {@link Stream} or a Reactor {@code Flux} (of
 * {@link io.github.ssestarter.SseItem}, of Spring's {@code ServerSentEvent}, or of plain data), or
 * a broadcaster's {@link SseSubscription}, with a {@code text/event-stream}. It must be consulted before Spring MVC's own handlers, which would
 * otherwise claim {@code Flux}; the starter's auto-configuration puts it first.
 */
public final class SseReturnValueHandler implements HandlerMethodReturnValueHandler {

	private final SseConnectionManager connections;

	private final SseFrameEncoder encoder;

	private final SseEndpointSettings defaults;

	private final boolean fluxSupported;

	private final int maxLastEventIdLength;

	private final Map<Method, SseEndpointSettings> settingsByMethod = new ConcurrentHashMap<>();

	/**
	 * Creates a handler.
	 * @param connections opens the streams
	 * @param encoder encodes items to frames
	 * @param defaults the settings of endpoints that do not override them
	 * @param maxLastEventIdLength the longest {@code Last-Event-ID} a subscription accepts
	 * @param classLoader the application's class loader, which tells whether Reactor is there
	 */
	public SseReturnValueHandler(SseConnectionManager connections, SseFrameEncoder encoder,
			SseEndpointSettings defaults, int maxLastEventIdLength, @Nullable ClassLoader classLoader) {
		this.connections = connections;
		this.maxLastEventIdLength = maxLastEventIdLength;
		this.encoder = encoder;
		this.defaults = defaults;
		this.fluxSupported = ClassUtils.isPresent("reactor.core.publisher.Flux", classLoader)
				&& ClassUtils.isPresent("org.reactivestreams.Publisher", classLoader);
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		Class<?> type = returnType.getParameterType();
		return Stream.class.isAssignableFrom(type) || SseSubscription.class.isAssignableFrom(type) || isFlux(type);
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
		if (returnValue == null) {
			// The asynchronous dispatch after a stream ends, or a method that returned no stream.
			mavContainer.setRequestHandled(true);
			return;
		}
		if (returnValue instanceof SseSubscription subscription) {
			subscribe(subscription, returnType, mavContainer, webRequest);
			return;
		}
		if (returnValue instanceof Stream<?> stream) {
			try {
				this.connections.open(webRequest, mavContainer, settingsFor(returnType), null,
						(connection) -> StreamPump.start(connection, stream, this.encoder));
			}
			catch (Exception | Error ex) {
				// Refused before streaming: the source must still be released.
				stream.close();
				throw ex;
			}
		}
		else {
			this.connections.open(webRequest, mavContainer, settingsFor(returnType), null,
					(connection) -> PublisherPump.start(connection, returnValue, this.encoder));
		}
	}

	private void subscribe(SseSubscription subscription, MethodParameter returnType, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest) throws Exception {
		if (!(subscription instanceof TopicSubscription topicSubscription)) {
			throw new IllegalStateException("Cannot stream " + subscription + ": only subscriptions from the "
					+ "application's SseBroadcaster can be returned");
		}
		// Checked before the stream opens, so that a bad id is answered with 400 rather than a stream.
		String lastEventId = LastEventIdArgumentResolver.resolve(webRequest, this.maxLastEventIdLength);
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		String user = (request != null) ? SseConnectionManager.userOf(request) : null;
		Consumer<SseSink> subscriber;
		try {
			// Any reading from a shared log happens here, before the stream opens.
			subscriber = topicSubscription.prepare(lastEventId, user);
		}
		catch (SseBackplaneException ex) {
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
					"Topic '" + subscription.topic() + "' cannot be read now", Duration.ofSeconds(1));
		}
		try {
			this.connections.open(webRequest, mavContainer, settingsFor(returnType), subscription.topic(),
					subscriber::accept);
		}
		finally {
			// Releases the topic if the stream was refused or ended before the subscription started.
			topicSubscription.abandon();
		}
	}

	private boolean isFlux(Class<?> type) {
		return this.fluxSupported && FluxType.isFlux(type);
	}

	/**
	 * Resolves the settings of every given handler method this handler answers, so that an invalid
	 * {@link SseEndpoint} fails at startup rather than on the first request.
	 * @param handlerMethods the application's handler methods
	 * @throws IllegalStateException naming the method whose annotation is invalid
	 */
	public void checkEndpoints(Collection<HandlerMethod> handlerMethods) {
		for (HandlerMethod handlerMethod : handlerMethods) {
			MethodParameter returnType = handlerMethod.getReturnType();
			if (supportsReturnType(returnType)) {
				settingsFor(returnType);
			}
		}
	}

	SseEndpointSettings settingsFor(MethodParameter returnType) {
		Method method = returnType.getMethod();
		if (method == null) {
			return this.defaults;
		}
		return this.settingsByMethod.computeIfAbsent(method, this::resolveSettings);
	}

	private SseEndpointSettings resolveSettings(Method method) {
		SseEndpoint endpoint = AnnotatedElementUtils.findMergedAnnotation(method, SseEndpoint.class);
		if (endpoint == null) {
			endpoint = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), SseEndpoint.class);
		}
		if (endpoint == null) {
			return this.defaults;
		}
		String where = "@SseEndpoint on " + method.toGenericString();
		return new SseEndpointSettings(
				StringUtils.hasText(endpoint.eventType()) ? endpoint.eventType() : this.defaults.eventType(),
				duration(endpoint.heartbeat(), this.defaults.heartbeat(), where, "heartbeat"),
				duration(endpoint.timeout(), this.defaults.timeout(), where, "timeout"),
				duration(endpoint.retry(), this.defaults.retry(), where, "retry"));
	}

	private static @Nullable Duration duration(String text, @Nullable Duration fallback, String where,
			String attribute) {
		if (!StringUtils.hasText(text)) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": " + attribute + " '" + text + "' is not a duration", ex);
		}
	}

	/** Kept apart so that Reactor classes are only loaded when Reactor is present. */
	private static final class FluxType {

		static boolean isFlux(Class<?> type) {
			return reactor.core.publisher.Flux.class.isAssignableFrom(type);
		}

	}

}
