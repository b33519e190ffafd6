package io.github.ssestarter.internal.webflux;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.web.SourceFailures;
import io.github.ssestarter.internal.web.SseConnection;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.wire.SseFormatter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Opens event streams on Spring WebFlux exchanges: once the {@link SseConnectionManager} admitted
 * one, it sets the event-stream headers, connects the stream to a {@link ReactiveResponseChannel},
 * attaches the source and starts the stream's timers; the exchange is then answered with the
 * channel's body, each frame flushed as it goes.
 */
public final class ReactiveStreams {

	private static final Log logger = LogFactory.getLog(ReactiveStreams.class);

	private static final MediaType EVENT_STREAM = MediaType.parseMediaType("text/event-stream;charset=UTF-8");

	private static final byte[] NOTHING = new byte[0];

	private final SseConnectionManager connections;

	/**
	 * @param connections admits the streams and holds what they share
	 */
	public ReactiveStreams(SseConnectionManager connections) {
		this.connections = connections;
	}

	SseConnectionManager connections() {
		return this.connections;
	}

	/**
	 * Opens a stream, preparing its source only once the stream was admitted (the server is
	 * running, the limits allow it), so that nothing is set up for a refused request. The source is
	 * attached before the server subscribes to the body: what it writes waits for the server's
	 * demand, so that a client that sees the stream open cannot miss what is published from then on.
	 * @param user the name of the exchange's principal, or {@code null}
	 * @param topic the broadcaster topic the stream delivers, or {@code null}
	 * @param preparation prepares the source, which may write at once, from any thread; what it
	 * throws refuses the stream
	 * @return completes when the stream has ended; fails with the refusal if it was refused
	 */
	Mono<Void> open(ServerWebExchange exchange, SseEndpointSettings settings, @Nullable String user,
			@Nullable String topic, Supplier<Consumer<SseConnection>> preparation) {
		// WebFlux carries the request's observation in the subscriber's context, not on the thread.
		return Mono.deferContextual((context) -> open(exchange, settings, user, topic, preparation,
				context.getOrDefault(ObservationThreadLocalAccessor.KEY, null)));
	}

	private Mono<Void> open(ServerWebExchange exchange, SseEndpointSettings settings, @Nullable String user,
			@Nullable String topic, Supplier<Consumer<SseConnection>> preparation,
			@Nullable Observation requestObservation) {
		ServerHttpResponse response = exchange.getResponse();
		ReactiveResponseChannel[] channel = new ReactiveResponseChannel[1];
		try {
			this.connections.admit(endpointOf(exchange), user, topic, requestObservation, (connector) -> {
				Consumer<SseConnection> source = preparation.get();
				setEventStreamHeaders(response);
				SseConnection connection = connector.connect(settings, (connected) -> channel[0] = new ReactiveResponseChannel(
						connected, response.bufferFactory(), firstFrame(settings)));
				try {
					source.accept(connection);
				}
				catch (RuntimeException ex) {
					// The connection is registered and owns its place now: ending it gives the place back.
					SourceFailures.end(connection, ex, logger);
				}
				if (!connection.isEnded()) {
					connection.startTimers();
				}
				return connection;
			});
		}
		catch (Exception ex) {
			return Mono.error(ex);
		}
		return response.writeAndFlushWith(channel[0].body().map(Flux::just));
	}

	private static byte[] firstFrame(SseEndpointSettings settings) {
		return (settings.retry() != null) ? SseFormatter.format(SseItem.retryOnly(settings.retry())) : NOTHING;
	}

	/** Tells the client, and any proxy between, that an event stream follows and must not be cached or buffered. */
	private static void setEventStreamHeaders(ServerHttpResponse response) {
		response.setStatusCode(HttpStatus.OK);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(EVENT_STREAM);
		headers.setCacheControl("no-cache");
		headers.set("X-Accel-Buffering", "no");
	}

	/**
	 * The route template the exchange was mapped by, never its raw path, so that metrics stay
	 * bounded; {@code unknown} if there is none.
	 */
	static String endpointOf(ServerWebExchange exchange) {
		Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : "unknown";
	}

}
