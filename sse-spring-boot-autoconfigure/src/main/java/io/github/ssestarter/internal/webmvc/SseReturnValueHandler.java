package io.github.ssestarter.internal.webmvc;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.SseTopicAuthorizer;
import io.github.ssestarter.internal.broadcast.ResumableStream;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.broadcast.TopicSubscription;
import io.github.ssestarter.internal.web.EventStreamMethods.EventStreamMethod;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.internal.web.ConnectionTarget;
import io.github.ssestarter.internal.web.EventStreamMethods;
import io.github.ssestarter.internal.web.PublisherPump;
import io.github.ssestarter.internal.web.ResumableTarget;
import io.github.ssestarter.internal.web.SourceTarget;
import io.github.ssestarter.internal.web.SseConnection;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.web.SseRejectedException;
import io.github.ssestarter.internal.web.StreamPump;
import io.github.ssestarter.internal.web.TopicAccessDeniedException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers the controller methods that ask for an event stream (see {@link SseEndpoint}) with a
 * {@code text/event-stream}: a returned {@link Stream} or Reactor {@code Flux} is pumped to the
 * client, or into a resumable stream when the endpoint has a resume window, and a broadcaster's
 * {@link SseSubscription} is connected to its topic. It must be consulted before Spring MVC's own
 * handlers, which would otherwise claim {@code Flux}; the starter's auto-configuration puts it
 * first and gives it Spring MVC's handlers as its {@link #setFallback fallback}.
 */
public final class SseReturnValueHandler implements HandlerMethodReturnValueHandler {

	private final ServletStreams connections;

	private final SseFrameEncoder encoder;

	private final EventStreamMethods methods;

	private final ResumableStreams resumableStreams;

	private final int maxLastEventIdLength;

	private final SseTopicAuthorizer authorizer;

	private @Nullable HandlerMethodReturnValueHandler fallback;

	/**
	 * Creates a handler.
	 * @param connections opens the streams
	 * @param encoder encodes items to frames
	 * @param defaults the settings of endpoints that do not override them
	 * @param maxLastEventIdLength the longest {@code Last-Event-ID} a subscription accepts
	 * @param resumableStreams keeps the streams of endpoints with a resume window
	 * @param authorizer decides who may subscribe to which topic
	 * @param classLoader the application's class loader, which tells whether Reactor is there
	 */
	public SseReturnValueHandler(ServletStreams connections, SseFrameEncoder encoder,
			SseEndpointSettings defaults, int maxLastEventIdLength, ResumableStreams resumableStreams,
			SseTopicAuthorizer authorizer, @Nullable ClassLoader classLoader) {
		this.connections = connections;
		this.encoder = encoder;
		this.methods = new EventStreamMethods(defaults, classLoader);
		this.maxLastEventIdLength = maxLastEventIdLength;
		this.resumableStreams = resumableStreams;
		this.authorizer = authorizer;
	}

	/**
	 * Sets the handlers that answer a method which produces {@code text/event-stream} among other
	 * media types, when the request negotiates another one.
	 * @param fallback Spring MVC's own handlers
	 */
	public void setFallback(HandlerMethodReturnValueHandler fallback) {
		this.fallback = fallback;
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return this.methods.find(returnType) != null;
	}

	/** The event stream a method answers with, or {@code null} if it answers with none. */
	@Nullable EventStreamMethod find(MethodParameter returnType) {
		return this.methods.find(returnType);
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
		if (returnValue == null) {
			// A method that returned no stream.
			mavContainer.setRequestHandled(true);
			return;
		}
		EventStreamMethod method = this.methods.find(returnType);
		Assert.state(method != null, () -> "Not an event stream method: " + returnType);
		if (!method.streams(acceptOf(webRequest))) {
			Assert.state(this.fallback != null, "No fallback handler for a request that negotiated another type");
			this.fallback.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
			return;
		}
		SseEndpointSettings settings = method.settings();
		if (returnValue instanceof SseSubscription subscription) {
			subscribe(subscription, settings, mavContainer, webRequest);
			return;
		}
		Duration resumeWindow = settings.resumeWindow();
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		Assert.state(request != null, "Event streams need a servlet request");
		Runnable threadRelease = (returnValue instanceof Stream<?> stream) ? reserveThread(stream, request) : () -> {
		};
		try {
			this.connections.open(webRequest, mavContainer, settings, null, (connection) -> {
				SourceTarget target = (resumeWindow != null)
						? resumable(returnType, request, connection, resumeWindow)
						: new ConnectionTarget(connection, this.encoder, connection.elementExecutor());
				startSource(returnValue, target, threadRelease);
			});
		}
		catch (Exception | Error ex) {
			// Refused before streaming: the source and its thread must still be released.
			threadRelease.run();
			if (returnValue instanceof Stream<?> stream) {
				stream.close();
			}
			throw ex;
		}
	}

	private Runnable reserveThread(Stream<?> stream, HttpServletRequest request) {
		try {
			return this.connections.connections().reserveSourceThread(ServletStreams.endpointOf(request));
		}
		catch (SseRejectedException ex) {
			stream.close();
			throw ex;
		}
	}

	/** Starts a resumable stream whose first client is the connection. */
	private SourceTarget resumable(MethodParameter returnType, HttpServletRequest request, SseConnection connection,
			Duration window) {
		ResumableStream stream = this.resumableStreams.start(scopeOf(returnType, request), connection.endpoint(),
				ServletStreams.userOf(request), window, connection.elementExecutor());
		stream.connect(null).accept(connection);
		return new ResumableTarget(stream, connection.settings().eventType(), connection.elementExecutor());
	}

	private void startSource(Object source, SourceTarget target, Runnable threadRelease) {
		if (source instanceof Stream<?> stream) {
			StreamPump.start(target, stream, this.connections.connections().sourceExecutor(), threadRelease);
		}
		else {
			PublisherPump.start(target, source);
		}
	}

	/**
	 * What a request that resumes a stream must match: the handler method, the request's path and
	 * its parameters (but the last event id), so that an id from one job's progress, or from the
	 * answer to one question, does not resume another.
	 */
	static String scopeOf(MethodParameter returnType, HttpServletRequest request) {
		StringBuilder scope = new StringBuilder(returnType.getExecutable().toGenericString()).append(' ')
			.append(request.getRequestURI());
		new TreeMap<>(request.getParameterMap()).forEach((name, values) -> {
			if (!name.equals(LastEventIdArgumentResolver.QUERY_PARAMETER)) {
				scope.append(scope.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
					.append(String.join(",", values));
			}
		});
		return scope.toString();
	}

	private void subscribe(SseSubscription subscription, SseEndpointSettings settings,
			ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
		if (!(subscription instanceof TopicSubscription topicSubscription)) {
			throw new IllegalStateException("Cannot stream " + subscription + ": only subscriptions from the "
					+ "application's SseBroadcaster can be returned");
		}
		// Checked before the stream opens, so that a bad id is answered with 400 rather than a stream.
		String lastEventId = LastEventIdArgumentResolver.resolve(webRequest, this.maxLastEventIdLength);
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		String user = (request != null) ? ServletStreams.userOf(request) : null;
		// Asked for every request, a resumption with a last event id included: nothing is replayed
		// to a client that may not see the topic.
		if (!this.authorizer.maySubscribe((request != null) ? request.getUserPrincipal() : null, subscription.topic())) {
			throw new TopicAccessDeniedException(subscription.topic());
		}
		try {
			this.connections.admitAndOpen(webRequest, mavContainer, settings, subscription.topic(), () -> {
				try {
					// Any reading from a shared log happens here, once the stream was admitted and before it opens.
					return topicSubscription.prepare(lastEventId, user)::accept;
				}
				catch (SseBackplaneException ex) {
					throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
							"Topic '" + subscription.topic() + "' cannot be read now", Duration.ofSeconds(1));
				}
			});
		}
		finally {
			// Releases the topic if the stream was refused or ended before the subscription started.
			topicSubscription.abandon();
		}
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

	private static @Nullable List<String> acceptOf(NativeWebRequest request) {
		String[] accept = request.getHeaderValues(HttpHeaders.ACCEPT);
		return (accept != null) ? Arrays.asList(accept) : null;
	}

}
