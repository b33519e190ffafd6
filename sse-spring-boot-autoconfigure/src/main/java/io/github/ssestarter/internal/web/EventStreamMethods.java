package io.github.ssestarter.internal.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Decides which controller methods answer with an event stream, and with which settings. A
 * method is an event stream when it says so: {@link SseEndpoint} on it or its class, a mapping
 * that {@code produces} {@code text/event-stream}, a return type of {@link SseSubscription}, or a
 * {@code Stream} or {@code Flux} declared with {@link SseItem} or {@link ServerSentEvent} elements.
 * Every other method is left to Spring MVC.
 *
 * <p>A method whose mapping produces {@code text/event-stream} among other media types, and that
 * opts in by nothing else, is an event stream only for requests that negotiate
 * {@code text/event-stream}, as Spring MVC would choose it.
 */
public final class EventStreamMethods {

	private final SseEndpointSettings defaults;

	private final boolean fluxSupported;

	private final Map<Method, Optional<EventStreamMethod>> byMethod = new ConcurrentHashMap<>();

	public EventStreamMethods(SseEndpointSettings defaults, @Nullable ClassLoader classLoader) {
		this.defaults = defaults;
		this.fluxSupported = ClassUtils.isPresent("reactor.core.publisher.Flux", classLoader)
				&& ClassUtils.isPresent("org.reactivestreams.Publisher", classLoader);
	}

	/**
	 * The event stream a method's return value describes.
	 * @return the method's settings, or {@code null} if it is not an event stream
	 * @throws IllegalStateException if its {@link SseEndpoint} is invalid, naming the method
	 */
	public @Nullable EventStreamMethod find(MethodParameter returnType) {
		Class<?> type = returnType.getParameterType();
		boolean subscription = SseSubscription.class.isAssignableFrom(type);
		if (!subscription && !Stream.class.isAssignableFrom(type) && !isFlux(type)) {
			return null;
		}
		Method method = returnType.getMethod();
		if (method == null) {
			return subscription ? new EventStreamMethod(this.defaults, List.of()) : null;
		}
		return this.byMethod.computeIfAbsent(method, (key) -> Optional.ofNullable(resolve(key, returnType, subscription)))
			.orElse(null);
	}

	private @Nullable EventStreamMethod resolve(Method method, MethodParameter returnType, boolean subscription) {
		SseEndpoint endpoint = AnnotatedElementUtils.findMergedAnnotation(method, SseEndpoint.class);
		if (endpoint == null) {
			endpoint = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), SseEndpoint.class);
		}
		List<MediaType> produces = produces(method);
		boolean producesEventStream = produces.stream().anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
		boolean optedIn = subscription || endpoint != null || hasEventElements(returnType);
		if (!optedIn && !producesEventStream) {
			return null;
		}
		// Negotiated only when produces is all that opts the method in and it offers other types too.
		List<MediaType> negotiated = (!optedIn && produces.size() > 1) ? produces : List.of();
		return new EventStreamMethod(settings(method, endpoint), negotiated);
	}

	private boolean hasEventElements(MethodParameter returnType) {
		ResolvableType type = ResolvableType.forMethodParameter(returnType);
		ResolvableType element = Stream.class.isAssignableFrom(returnType.getParameterType())
				? type.as(Stream.class).getGeneric(0) : type.getGeneric(0);
		Class<?> elementType = element.resolve();
		return elementType != null
				&& (SseItem.class.isAssignableFrom(elementType) || ServerSentEvent.class.isAssignableFrom(elementType));
	}

	private static List<MediaType> produces(Method method) {
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
		String[] produces = (mapping != null) ? mapping.produces() : new String[0];
		if (produces.length == 0) {
			RequestMapping onClass = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(),
					RequestMapping.class);
			produces = (onClass != null) ? onClass.produces() : new String[0];
		}
		List<MediaType> types = new ArrayList<>();
		for (String value : produces) {
			// A negated expression ("!text/plain") produces nothing of its own.
			if (!value.startsWith("!")) {
				types.add(MediaType.parseMediaType(value));
			}
		}
		return List.copyOf(types);
	}

	private SseEndpointSettings settings(Method method, @Nullable SseEndpoint endpoint) {
		if (endpoint == null) {
			return this.defaults;
		}
		String where = "@SseEndpoint on " + method.toGenericString();
		try {
			return new SseEndpointSettings(
					StringUtils.hasText(endpoint.eventType()) ? endpoint.eventType() : this.defaults.eventType(),
					duration(endpoint.heartbeat(), this.defaults.heartbeat(), where, "heartbeat"),
					duration(endpoint.timeout(), this.defaults.timeout(), where, "timeout"),
					duration(endpoint.retry(), this.defaults.retry(), where, "retry"),
					duration(endpoint.resumeWindow(), null, where, "resumeWindow"));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": " + ex.getMessage(), ex);
		}
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

	private boolean isFlux(Class<?> type) {
		return this.fluxSupported && FluxType.isFlux(type);
	}

	/**
	 * A method that answers with an event stream.
	 *
	 * @param settings the settings its streams run with
	 * @param negotiated the media types its mapping produces, when the request's {@code Accept}
	 * header decides whether it gets an event stream; empty when it always does
	 */
	public record EventStreamMethod(SseEndpointSettings settings, List<MediaType> negotiated) {

		/**
		 * Whether the request gets an event stream: the media type Spring MVC would negotiate,
		 * the first of the request's acceptable types (by quality) that one of the produced types
		 * matches (in declared order), is {@code text/event-stream}.
		 * @param accept the values of the request's {@code Accept} headers, or {@code null}
		 */
		public boolean streams(@Nullable List<String> accept) {
			if (this.negotiated.isEmpty()) {
				return true;
			}
			for (MediaType acceptable : acceptable(accept)) {
				for (MediaType produced : this.negotiated) {
					if (acceptable.isCompatibleWith(produced)) {
						return MediaType.TEXT_EVENT_STREAM.equalsTypeAndSubtype(produced);
					}
				}
			}
			return false;
		}

		private static List<MediaType> acceptable(@Nullable List<String> accept) {
			if (accept == null || accept.isEmpty()) {
				return List.of(MediaType.ALL);
			}
			List<MediaType> types = new ArrayList<>();
			try {
				for (String value : accept) {
					types.addAll(MediaType.parseMediaTypes(value));
				}
			}
			catch (InvalidMediaTypeException ex) {
				// Left to Spring MVC, which answers it as it would without the starter.
				return List.of();
			}
			types.removeIf((type) -> type.getQualityValue() == 0);
			types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
			return types;
		}

	}

	/** Kept apart so that Reactor classes are only loaded when Reactor is present. */
	private static final class FluxType {

		static boolean isFlux(Class<?> type) {
			return reactor.core.publisher.Flux.class.isAssignableFrom(type);
		}

	}

}
