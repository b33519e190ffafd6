package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.web.SourceFailures;
import io.github.ssestarter.internal.web.SseConnection;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.wire.SseFormatter;

import org.springframework.util.Assert;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Opens event streams on Spring MVC requests: once the {@link SseConnectionManager} admitted one, it
 * starts the asynchronous response with the event-stream headers, connects the stream to a
 * {@link ServletResponseChannel}, has the {@link DisconnectWatch} watch its connection, attaches the
 * source, and flushes the headers at once, before the first event, so that clients see the stream
 * open even while it is quiet.
 */
public final class ServletStreams implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ServletStreams.class);

	private static final long NO_ASYNC_TIMEOUT = -1;

	private final SseConnectionManager connections;

	private final DisconnectWatch disconnects = new DisconnectWatch();

	private final int responseBufferSize;

	/**
	 * @param connections admits the streams and holds what they share
	 * @param responseBufferSize the servlet response buffer of each stream, in bytes: what Jetty holds per
	 * open stream (the container may round it up)
	 */
	public ServletStreams(SseConnectionManager connections, int responseBufferSize) {
		this.connections = connections;
		this.responseBufferSize = responseBufferSize;
	}

	SseConnectionManager connections() {
		return this.connections;
	}

	/**
	 * Opens a stream: starts asynchronous processing of the request, sets the event-stream
	 * headers, writes the settings' retry hint, attaches the source, flushes, and starts the
	 * stream's timers. The source is attached before the flush, so that a client that sees the
	 * stream open cannot miss what is published from then on.
	 * @param topic the broadcaster topic the stream delivers, or {@code null}
	 * @param source starts feeding the connection; it may write at once, from any thread
	 */
	SseConnection open(NativeWebRequest webRequest, ModelAndViewContainer mavContainer, SseEndpointSettings settings,
			@Nullable String topic, Consumer<SseConnection> source) throws Exception {
		return admitAndOpen(webRequest, mavContainer, settings, topic, () -> source);
	}

	/**
	 * Opens a stream as {@link #open} does, preparing its source only once the stream was
	 * admitted (the server is running, the limits allow it), so that nothing is set up for a
	 * refused request.
	 * @param preparation prepares the source; what it throws refuses the stream
	 */
	SseConnection admitAndOpen(NativeWebRequest webRequest, ModelAndViewContainer mavContainer,
			SseEndpointSettings settings, @Nullable String topic, Supplier<Consumer<SseConnection>> preparation)
			throws Exception {
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
		Assert.state(request != null && response != null, "Event streams need a servlet request and response");
		return this.connections.admit(endpointOf(request), userOf(request), topic, (connector) -> {
			Consumer<SseConnection> source = preparation.get();
			DeferredResult<Object> result = startAsync(webRequest, request, mavContainer);
			// Before anything is written: the container sizes the buffer when it first needs it.
			response.setBufferSize(this.responseBufferSize);
			setEventStreamHeaders(response);
			ServletOutputStream out = response.getOutputStream();
			ServletResponseChannel[] channel = new ServletResponseChannel[1];
			SseConnection connection = connector.connect(settings, (connected) -> channel[0] = new ServletResponseChannel(out,
					connected, connected.executor(), result));
			result.onError((ex) -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
			result.onTimeout(() -> connection.end(SseStreamOutcome.TIMEOUT));
			result.onCompletion(() -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
			start(connection, channel[0], request, out, source);
			return connection;
		});
	}

	private void start(SseConnection connection, ServletResponseChannel channel, HttpServletRequest request,
			ServletOutputStream out, Consumer<SseConnection> source) {
		try {
			if (connection.settings().retry() != null) {
				out.write(SseFormatter.format(SseItem.retryOnly(connection.settings().retry())));
			}
		}
		catch (IOException ex) {
			connection.end(SseStreamOutcome.CLIENT_CLOSED);
			return;
		}
		try {
			channel.useNonBlockingOutput();
			this.disconnects.watch(channel, request);
			source.accept(connection);
		}
		catch (RuntimeException ex) {
			// The connection is registered and owns its place now: ending it gives the place back.
			SourceFailures.end(connection, ex, logger);
			return;
		}
		// Commits the status and headers now, before any event, so that clients see the stream open.
		channel.commit();
		if (!connection.isEnded()) {
			connection.startTimers();
		}
	}

	/**
	 * The name of the request's principal, which per-user delivery and limits go by.
	 */
	static @Nullable String userOf(HttpServletRequest request) {
		java.security.Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

	/**
	 * The route template the request was mapped by, never its raw path, so that metrics stay
	 * bounded; {@code unknown} if there is none.
	 */
	static String endpointOf(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : "unknown";
	}

	/** Starts the request's asynchronous processing, which the connection completes when it ends. */
	private static DeferredResult<Object> startAsync(NativeWebRequest webRequest, HttpServletRequest request,
			ModelAndViewContainer mavContainer) throws Exception {
		mavContainer.setRequestHandled(true);
		ShallowEtagHeaderFilter.disableContentCaching(request);
		DeferredResult<Object> result = new DeferredResult<>(NO_ASYNC_TIMEOUT);
		WebAsyncUtils.getAsyncManager(webRequest).startDeferredResultProcessing(result, mavContainer);
		return result;
	}

	/** Tells the client, and any proxy between, that an event stream follows and must not be cached or buffered. */
	private static void setEventStreamHeaders(HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream;charset=UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
	}

	/**
	 * Stops watching connections.
	 */
	@Override
	public void close() {
		this.disconnects.close();
	}

}
