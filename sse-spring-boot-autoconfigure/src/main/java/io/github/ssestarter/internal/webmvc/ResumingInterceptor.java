package io.github.ssestarter.internal.webmvc;

import java.util.Arrays;
import java.util.List;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.MirroredStream;
import io.github.ssestarter.internal.broadcast.ResumableStream;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.EventStreamMethods.EventStreamMethod;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.internal.web.SseConnection;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.AsyncWebRequest;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resumes resumable streams before their controller method would run, so that a reconnecting
 * client continues the stream it had rather than starting a new one. A request to an endpoint with
 * a resume window whose last event id names a live stream of the same endpoint and path, started
 * by the same user (or anonymously), is connected to that stream: it is replayed what it missed
 * and follows live, or gets {@code 204 No Content} if the stream has ended and it has the last
 * event. With shared logs, a stream started on another instance is resumed the same way from its
 * log. Any other request goes on to the controller method, which starts a new stream: so does one
 * whose stream's log cannot be read now, since a browser does not reconnect after an error status.
 */
public final class ResumingInterceptor implements HandlerInterceptor {

	private static final Log logger = LogFactory.getLog(ResumingInterceptor.class);

	private final SseReturnValueHandler handler;

	private final ResumableStreams streams;

	private final ServletStreams connections;

	private final int maxLastEventIdLength;

	/**
	 * Creates the interceptor.
	 * @param handler tells which methods have a resume window
	 * @param streams the resumable streams
	 * @param connections opens the resumed streams
	 * @param maxLastEventIdLength the longest {@code Last-Event-ID} accepted
	 */
	public ResumingInterceptor(SseReturnValueHandler handler, ResumableStreams streams,
			ServletStreams connections, int maxLastEventIdLength) {
		this.handler = handler;
		this.streams = streams;
		this.connections = connections;
		this.maxLastEventIdLength = maxLastEventIdLength;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)) {
			return true;
		}
		EventStreamMethod streamMethod = this.handler.find(method.getReturnType());
		if (streamMethod == null || streamMethod.settings().resumeWindow() == null) {
			return true;
		}
		AsyncWebRequest webRequest = WebAsyncUtils.createAsyncWebRequest(request, response);
		if (!streamMethod.streams(acceptOf(webRequest))) {
			return true;
		}
		String lastEventId = LastEventIdArgumentResolver.resolve(webRequest, this.maxLastEventIdLength);
		if (lastEventId == null) {
			return true;
		}
		String scope = SseReturnValueHandler.scopeOf(method.getReturnType(), request);
		String user = ServletStreams.userOf(request);
		ResumableStream stream = this.streams.find(lastEventId, scope, user);
		if (stream == null) {
			MirroredStream elsewhere = findElsewhere(lastEventId, scope, user);
			return (elsewhere == null) || resumeElsewhere(elsewhere, lastEventId, webRequest, streamMethod, response);
		}
		if (stream.isFinishedAt(lastEventId)) {
			// Tells EventSource to stop reconnecting.
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
			return false;
		}
		WebAsyncUtils.getAsyncManager(request).setAsyncWebRequest(webRequest);
		this.connections.open(webRequest, new ModelAndViewContainer(), streamMethod.settings(), null,
				(connection) -> stream.connect(lastEventId).accept(connection));
		this.streams.resumed(stream);
		return false;
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

	private boolean resumeElsewhere(MirroredStream stream, String lastEventId, AsyncWebRequest webRequest,
			EventStreamMethod streamMethod, HttpServletResponse response) throws Exception {
		if (stream.isFinishedAt(lastEventId)) {
			stream.close();
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
			return false;
		}
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		try {
			WebAsyncUtils.getAsyncManager(request).setAsyncWebRequest(webRequest);
			SseConnection connection = this.connections.open(webRequest, new ModelAndViewContainer(),
					streamMethod.settings(), null, (opened) -> stream.connect(lastEventId).accept(opened));
			if (connection.isEnded()) {
				// Gone before it was connected, maybe.
				stream.close();
			}
		}
		catch (Exception | Error ex) {
			stream.close();
			throw ex;
		}
		this.streams.resumed(stream);
		return false;
	}

	private static @Nullable List<String> acceptOf(NativeWebRequest request) {
		String[] accept = request.getHeaderValues(HttpHeaders.ACCEPT);
		return (accept != null) ? Arrays.asList(accept) : null;
	}

}
