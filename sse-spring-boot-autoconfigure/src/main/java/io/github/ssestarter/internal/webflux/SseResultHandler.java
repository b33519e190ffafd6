package io.github.ssestarter.internal.webflux;

import java.security.Principal;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.SseTopicAuthorizer;
import io.github.ssestarter.internal.broadcast.ResumableStream;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.broadcast.TopicSubscription;
import io.github.ssestarter.internal.web.ConnectionTarget;
import io.github.ssestarter.internal.web.EventStreamMethods;
import io.github.ssestarter.internal.web.EventStreamMethods.EventStreamMethod;
import io.github.ssestarter.internal.web.LastEventIds;
import io.github.ssestarter.internal.web.PublisherPump;
import io.github.ssestarter.internal.web.ResumableTarget;
import io.github.ssestarter.internal.web.SourceTarget;
import io.github.ssestarter.internal.web.SseConnection;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.web.SseRejectedException;
import io.github.ssestarter.internal.web.StreamPump;
import io.github.ssestarter.internal.web.TopicAccessDeniedException;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.HandlerResultHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers Spring WebFlux controller methods that ask for an event stream (see {@link SseEndpoint})
 * with one, by the same rules as on Spring MVC: a returned {@code Flux} (or blocking {@code Stream})
 * is pumped to the client, and a broadcaster's {@link SseSubscription} is connected to its topic.
 * Other methods are left to WebFlux. Ordered before WebFlux's own result handlers, which would
 * otherwise claim {@code Flux}; a method that produces {@code text/event-stream} among other media
 * types is handed to its {@link #setFallback fallback} when the request negotiates another one.
 * A method with a resume window starts a resumable stream, which {@link ResumingHandlerAdapter}
 * resumes when its client comes back.
 */
public final class SseResultHandler implements HandlerResultHandler, Ordered {

	private final ReactiveStreams streams;

	private final SseFrameEncoder encoder;

	private final EventStreamMethods methods;

	private final int maxLastEventIdLength;

	private final SseTopicAuthorizer authorizer;

	private final ResumableStreams resumableStreams;

	private @Nullable HandlerResultHandler fallback;

	/**
	 * Creates a handler.
	 * @param streams opens the streams
	 * @param encoder encodes items to frames
	 * @param defaults the settings of endpoints that do not override them
	 * @param maxLastEventIdLength the longest {@code Last-Event-ID} a subscription accepts
	 * @param authorizer decides who may subscribe to which topic
	 * @param resumableStreams keeps the streams of endpoints with a resume window
	 * @param classLoader the application's class loader
	 */
	public SseResultHandler(ReactiveStreams streams, SseFrameEncoder encoder, SseEndpointSettings defaults,
			int maxLastEventIdLength, SseTopicAuthorizer authorizer, ResumableStreams resumableStreams,
			@Nullable ClassLoader classLoader) {
		this.streams = streams;
		this.resumableStreams = resumableStreams;
		this.encoder = encoder;
		this.methods = new EventStreamMethods(defaults, classLoader);
		this.maxLastEventIdLength = maxLastEventIdLength;
		this.authorizer = authorizer;
	}

	/**
	 * Sets the handler that answers a method which produces {@code text/event-stream} among other
	 * media types, when the request negotiates another one.
	 * @param fallback WebFlux's handler of response bodies
	 */
	public void setFallback(HandlerResultHandler fallback) {
		this.fallback = fallback;
	}

	@Override
	public int getOrder() {
		// Before WebFlux's handlers of response entities (0) and bodies (100).
		return -1;
	}

	/** The event stream a method answers with, or {@code null} if it answers with none. */
	@Nullable EventStreamMethod find(MethodParameter returnType) {
		return this.methods.find(returnType);
	}

	@Override
	public boolean supports(HandlerResult result) {
		return result.getHandler() instanceof HandlerMethod && this.methods.find(result.getReturnTypeSource()) != null;
	}

	@Override
	public Mono<Void> handleResult(ServerWebExchange exchange, HandlerResult result) {
		Object returnValue = result.getReturnValue();
		EventStreamMethod method = this.methods.find(result.getReturnTypeSource());
		if (returnValue == null || method == null) {
			return exchange.getResponse().setComplete();
		}
		if (!method.streams(exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT))) {
			if (this.fallback == null) {
				return Mono.error(new IllegalStateException("No fallback handler for a request that negotiated another type"));
			}
			return this.fallback.handleResult(exchange, result);
		}
		SseEndpointSettings settings = method.settings();
		return exchange.getPrincipal()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((principal) -> (returnValue instanceof SseSubscription subscription)
					? subscribe(exchange, subscription, settings, principal.orElse(null))
					: stream(exchange, result.getReturnTypeSource(), returnValue, settings,
							principal.map(Principal::getName).orElse(null)));
	}

	private Mono<Void> stream(ServerWebExchange exchange, MethodParameter returnType, Object source,
			SseEndpointSettings settings, @Nullable String user) {
		Runnable threadRelease;
		if (source instanceof Stream<?> stream) {
			try {
				threadRelease = this.streams.connections().reserveSourceThread(ReactiveStreams.endpointOf(exchange));
			}
			catch (SseRejectedException ex) {
				stream.close();
				return Mono.error(ex);
			}
		}
		else {
			threadRelease = () -> {
			};
		}
		Duration resumeWindow = settings.resumeWindow();
		return this.streams.open(exchange, settings, user, null, () -> (connection) -> {
			SourceTarget target = (resumeWindow != null)
					? resumable(returnType, exchange, connection, user, resumeWindow)
					: new ConnectionTarget(connection, this.encoder, connection.elementExecutor());
			if (source instanceof Stream<?> stream) {
				StreamPump.start(target, stream, this.streams.connections().sourceExecutor(), threadRelease);
			}
			else {
				PublisherPump.start(target, source);
			}
		}).doOnError((ex) -> {
			// Refused before streaming: the source and its thread must still be released.
			threadRelease.run();
			if (source instanceof Stream<?> stream) {
				stream.close();
			}
		});
	}

	/** Starts a resumable stream whose first client is the connection. */
	private SourceTarget resumable(MethodParameter returnType, ServerWebExchange exchange, SseConnection connection,
			@Nullable String user, Duration window) {
		ResumableStream stream = this.resumableStreams.start(scopeOf(returnType, exchange), connection.endpoint(), user,
				window, connection.elementExecutor());
		stream.connect(null).accept(connection);
		return new ResumableTarget(stream, connection.settings().eventType(), connection.elementExecutor());
	}

	/**
	 * What a request that resumes a stream must match: the handler method, the request's path and
	 * its query parameters (but the last event id), as on Spring MVC.
	 */
	static String scopeOf(MethodParameter returnType, ServerWebExchange exchange) {
		StringBuilder scope = new StringBuilder(returnType.getExecutable().toGenericString()).append(' ')
			.append(exchange.getRequest().getPath().value());
		new TreeMap<>(exchange.getRequest().getQueryParams()).forEach((name, values) -> {
			if (!name.equals(LastEventIds.QUERY_PARAMETER)) {
				scope.append(scope.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
					.append(String.join(",", values));
			}
		});
		return scope.toString();
	}

	private Mono<Void> subscribe(ServerWebExchange exchange, SseSubscription subscription,
			SseEndpointSettings settings, @Nullable Principal principal) {
		if (!(subscription instanceof TopicSubscription topicSubscription)) {
			return Mono.error(new IllegalStateException("Cannot stream " + subscription + ": only subscriptions from "
					+ "the application's SseBroadcaster can be returned"));
		}
		String lastEventId;
		try {
			// Checked before the stream opens, so that a bad id is answered with 400 rather than a stream.
			lastEventId = LastEventIds.check(exchange.getRequest().getHeaders().getFirst(LastEventIds.HEADER),
					exchange.getRequest().getQueryParams().getFirst(LastEventIds.QUERY_PARAMETER),
					this.maxLastEventIdLength);
			// Asked for every request, a resumption with a last event id included: nothing is replayed
			// to a client that may not see the topic.
			if (!this.authorizer.maySubscribe(principal, subscription.topic())) {
				throw new TopicAccessDeniedException(subscription.topic());
			}
		}
		catch (RuntimeException ex) {
			return Mono.error(ex);
		}
		String user = (principal != null) ? principal.getName() : null;
		// Off the event loop: preparing may read the topic from a shared log.
		return Mono.defer(() -> this.streams.open(exchange, settings, user, subscription.topic(), () -> {
			try {
				return topicSubscription.prepare(lastEventId, user)::accept;
			}
			catch (SseBackplaneException ex) {
				throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
						"Topic '" + subscription.topic() + "' cannot be read now", Duration.ofSeconds(1));
			}
		}))
			.subscribeOn(Schedulers.boundedElastic())
			// Releases the topic if the stream was refused or ended before the subscription started.
			.doFinally((signal) -> topicSubscription.abandon());
	}

	/**
	 * Resolves the settings of every given handler method this handler answers, so that an invalid
	 * {@link SseEndpoint} fails at startup rather than on the first request.
	 * @param handlerMethods the application's handler methods
	 * @throws IllegalStateException naming the method whose annotation is invalid
	 */
	public void checkEndpoints(Collection<HandlerMethod> handlerMethods) {
		for (HandlerMethod handlerMethod : handlerMethods) {
			this.methods.find(handlerMethod.getReturnType());
		}
	}

}
