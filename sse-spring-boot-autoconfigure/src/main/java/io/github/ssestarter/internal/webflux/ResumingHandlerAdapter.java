package io.github.ssestarter.internal.webflux;

import java.security.Principal;
import java.util.Optional;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.MirroredStream;
import io.github.ssestarter.internal.broadcast.ResumableStream;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.EventStreamMethods.EventStreamMethod;
import io.github.ssestarter.internal.web.LastEventIds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resumes resumable streams on Spring WebFlux before their controller method would run, as Spring
 * MVC's resuming interceptor does: a request to an endpoint with a resume window whose last event id
 * names a live stream of the same endpoint, path and query, started by the same user (or
 * anonymously), is connected to that stream (replayed what it missed, then live), or gets
 * {@code 204 No Content} if the stream has ended and it has the last event; with shared logs, a
 * stream started on another instance is resumed from its log. Any other request goes to the
 * controller method through WebFlux's own adapter, which starts a new stream.
 *
 * <p>An adapter rather than a filter, so that it runs after the application's filters (Spring
 * Security's among them) have set the exchange's principal.
 */
public final class ResumingHandlerAdapter implements HandlerAdapter, Ordered {

	private static final Log logger = LogFactory.getLog(ResumingHandlerAdapter.class);

	private final SseResultHandler handler;

	private final ResumableStreams streams;

	private final ReactiveStreams connections;

	private final HandlerAdapter controllers;

	private final int maxLastEventIdLength;

	/**
	 * Creates the adapter.
	 * @param handler tells which methods have a resume window
	 * @param streams the resumable streams
	 * @param connections opens the resumed streams
	 * @param controllers WebFlux's adapter of controller methods, for every request not resumed
	 * @param maxLastEventIdLength the longest {@code Last-Event-ID} accepted
	 */
	public ResumingHandlerAdapter(SseResultHandler handler, ResumableStreams streams, ReactiveStreams connections,
			HandlerAdapter controllers, int maxLastEventIdLength) {
		this.handler = handler;
		this.streams = streams;
		this.connections = connections;
		this.controllers = controllers;
		this.maxLastEventIdLength = maxLastEventIdLength;
	}

	@Override
	public int getOrder() {
		// Before WebFlux's adapter of controller methods.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public boolean supports(Object handler) {
		return handler instanceof HandlerMethod method && resumable(method) != null;
	}

	private @Nullable EventStreamMethod resumable(HandlerMethod method) {
		EventStreamMethod streamMethod = this.handler.find(method.getReturnType());
		return (streamMethod != null && streamMethod.settings().resumeWindow() != null) ? streamMethod : null;
	}

	@Override
	public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
		HandlerMethod method = (HandlerMethod) handler;
		EventStreamMethod streamMethod = resumable(method);
		if (streamMethod == null
				|| !streamMethod.streams(exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT))) {
			return this.controllers.handle(exchange, handler);
		}
		String lastEventId;
		try {
			lastEventId = LastEventIds.check(exchange.getRequest().getHeaders().getFirst(LastEventIds.HEADER),
					exchange.getRequest().getQueryParams().getFirst(LastEventIds.QUERY_PARAMETER),
					this.maxLastEventIdLength);
		}
		catch (RuntimeException ex) {
			return Mono.error(ex);
		}
		if (lastEventId == null) {
			return this.controllers.handle(exchange, handler);
		}
		String scope = SseResultHandler.scopeOf(method.getReturnType(), exchange);
		return exchange.getPrincipal()
			.map(Principal::getName)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			// Off the event loop: looking for a stream may read a shared log.
			.publishOn(Schedulers.boundedElastic())
			.flatMap((user) -> resume(exchange, handler, streamMethod, lastEventId, scope, user.orElse(null)));
	}

	private Mono<HandlerResult> resume(ServerWebExchange exchange, Object handler, EventStreamMethod streamMethod,
			String lastEventId, String scope, @Nullable String user) {
		ResumableStream stream = this.streams.find(lastEventId, scope, user);
		if (stream != null) {
			if (stream.isFinishedAt(lastEventId)) {
				return noContent(exchange);
			}
			return this.connections.open(exchange, streamMethod.settings(), user, null, () -> (connection) -> {
				stream.connect(lastEventId).accept(connection);
				this.streams.resumed(stream);
			}).then(Mono.empty());
		}
		MirroredStream elsewhere = findElsewhere(lastEventId, scope, user);
		if (elsewhere == null) {
			return this.controllers.handle(exchange, handler);
		}
		if (elsewhere.isFinishedAt(lastEventId)) {
			elsewhere.close();
			return noContent(exchange);
		}
		return this.connections.open(exchange, streamMethod.settings(), user, null, () -> (connection) -> {
			elsewhere.connect(lastEventId).accept(connection);
			this.streams.resumed(elsewhere);
		}).doOnError((ex) -> elsewhere.close()).then(Mono.empty());
	}

	private @Nullable MirroredStream findElsewhere(String lastEventId, String scope, @Nullable String user) {
		try {
			return this.streams.findElsewhere(lastEventId, scope, user);
		}
		catch (SseBackplaneException ex) {
			logger.warn("Cannot look for a resumable stream in the shared log; starting a new stream: "
					+ ex.getMessage());
			return null;
		}
	}

	/** Tells EventSource to stop reconnecting. */
	private static Mono<HandlerResult> noContent(ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
		return exchange.getResponse().setComplete().then(Mono.empty());
	}

}
