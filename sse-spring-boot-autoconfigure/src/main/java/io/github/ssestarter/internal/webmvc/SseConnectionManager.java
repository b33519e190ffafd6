package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.wire.SseFormatter;
import io.github.ssestarter.observation.DefaultSseStreamObservationConvention;
import io.github.ssestarter.observation.SseStreamObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Opens event streams on Spring MVC requests: admits each one (the server is running, the
 * {@linkplain SseConnectionLimits limits} allow it), starts the asynchronous response with the
 * event-stream headers, and registers its {@link SseConnection} with what streams share: the
 * {@linkplain StreamThreads threads}, the {@linkplain OpenConnections open streams}, the
 * {@linkplain DisconnectWatch disconnect watch} and the {@linkplain StreamObservations observations}.
 * When the application stops it refuses new streams and ends the open ones cleanly.
 *
 * <p>An opened stream has its status and headers flushed at once, before the first event, so
 * clients see the stream as open even while it is quiet.
 *
 * <p>Given an {@link #setObservationRegistry ObservationRegistry}, each stream that opens is observed
 * until it ends, with how it ended; streams refused before they open are not.
 */
public final class SseConnectionManager implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SseConnectionManager.class);

	private static final long NO_ASYNC_TIMEOUT = -1;

	/** Hint sent with the last write on shutdown, so that clients come back soon. */
	private static final Duration SHUTDOWN_RETRY = Duration.ofSeconds(1);

	private final StreamThreads threads;

	private final OpenConnections open = new OpenConnections();

	private final SseConnectionLimits limits;

	private final DisconnectWatch disconnects = new DisconnectWatch();

	private final StreamObservations observations = new StreamObservations();

	private final SseListener listener;

	private volatile boolean running;

	/**
	 * Creates a manager with its own executor and scheduler, both released by {@link #close()},
	 * that tells a listener of every stream it opens, refuses, and sees end.
	 * @param maxPlatformThreads the executor's size where virtual threads are not available
	 * @param maxConnections most streams open at once, beyond which streams are refused with
	 * {@code 503}; {@code null} for no limit
	 * @param maxConnectionsPerUser most streams one user (the request's principal) may hold,
	 * beyond which they are refused with {@code 429}; {@code null} for no limit
	 * @param listener told of the streams' lifecycle
	 */
	public SseConnectionManager(int maxPlatformThreads, @Nullable Integer maxConnections,
			@Nullable Integer maxConnectionsPerUser, SseListener listener) {
		Assert.notNull(listener, "listener must not be null");
		this.listener = listener;
		this.limits = new SseConnectionLimits(maxConnections, maxConnectionsPerUser, SHUTDOWN_RETRY);
		this.threads = new StreamThreads(maxPlatformThreads);
	}

	/**
	 * Sets the registry that observes each stream from its opening to its end; none by default.
	 * Must be called before streams open.
	 * @param registry the registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.observations.setRegistry(registry);
	}

	/**
	 * Sets the convention that names streams' observations and gives their key values, instead of
	 * {@link DefaultSseStreamObservationConvention}. Must be called before streams open.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable SseStreamObservationConvention convention) {
		this.observations.setConvention(convention);
	}

	/**
	 * Number of streams open now.
	 * @return the count
	 */
	public int openConnections() {
		return this.open.count();
	}

	/**
	 * Number of streams open now, by the route template of the requests that opened them.
	 * @return the counts, sorted by route template; endpoints without open streams are absent
	 */
	public Map<String, Integer> openConnectionsByEndpoint() {
		return this.open.countByEndpoint();
	}

	/**
	 * Ends every open stream normally, topics and resumable streams alike: clients reconnect with
	 * their last event id and resume, for example on another instance before this one is
	 * deployed anew.
	 * @return the number of streams ended
	 */
	public int closeAll() {
		return this.open.endAll((connection) -> true);
	}

	/**
	 * Starts asynchronous processing of the request, sets the event-stream headers, writes the
	 * settings' retry hint, attaches the source, flushes, and starts the stream's timers. The
	 * source is attached before the flush, so that a client that sees the stream open cannot miss
	 * what is published from then on.
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
		String endpoint = endpointOf(request);
		if (!this.running) {
			this.listener.connectionEnded(endpoint, topic, SseStreamOutcome.REJECTED);
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "The server is stopping", SHUTDOWN_RETRY);
		}
		String user = userOf(request);
		try {
			this.limits.acquire(user);
		}
		catch (SseRejectedException ex) {
			this.listener.connectionEnded(endpoint, topic, SseStreamOutcome.REJECTED);
			throw ex;
		}
		try {
			Consumer<SseConnection> source = preparation.get();
			return open(webRequest, request, response, mavContainer, settings, user, endpoint, topic, source);
		}
		catch (Exception | Error ex) {
			// Failed before the connection took over the place.
			this.limits.release(user);
			throw ex;
		}
	}

	/**
	 * Ends every open stream of one user, for example when they sign out or their session ends.
	 * Their browsers' reconnections then go through the application's security as any request does.
	 * @param user the name of the user (the request principal's name)
	 * @return the number of streams ended
	 */
	public int closeConnectionsOf(String user) {
		return this.open.endAll((connection) -> user.equals(connection.user()));
	}

	/**
	 * Takes a thread to pull a blocking {@code Stream} source: always available with virtual
	 * threads; else one of {@code sse.executor.max-platform-threads}, and none left is a stream refused.
	 * @param request the request the source answers
	 * @return gives the thread back; runs once, however often it is called
	 * @throws SseRejectedException with {@code 503} when every thread is pulling a source
	 */
	Runnable reserveSourceThread(HttpServletRequest request) {
		Runnable release = this.threads.reserveSourceThread();
		if (release == null) {
			this.listener.connectionEnded(endpointOf(request), null, SseStreamOutcome.REJECTED);
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "All " + this.threads.maxPlatformThreads()
					+ " threads that pull Stream sources are busy (sse.executor.max-platform-threads)", SHUTDOWN_RETRY);
		}
		return release;
	}

	/** Pulls {@code Stream} sources, each on a thread {@link #reserveSourceThread reserved} for it. */
	ExecutorService sourceExecutor() {
		return this.threads.sources();
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

	private SseConnection open(NativeWebRequest webRequest, HttpServletRequest request, HttpServletResponse response,
			ModelAndViewContainer mavContainer, SseEndpointSettings settings, @Nullable String user, String endpoint,
			@Nullable String topic, Consumer<SseConnection> source) throws Exception {
		DeferredResult<Object> result = startAsync(webRequest, request, mavContainer);
		setEventStreamHeaders(response);
		ServletOutputStream out = response.getOutputStream();
		SseConnection connection = new SseConnection(out, result, settings, endpoint, topic, user,
				this.threads.elements(), this.threads.dispatcher(), this.threads.scheduler(), this.threads.closer());
		result.onError((ex) -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
		result.onTimeout(() -> connection.end(SseStreamOutcome.TIMEOUT));
		result.onCompletion(() -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
		this.open.add(connection);
		this.listener.connectionOpened(endpoint, topic);
		// The request's own observation, if any, is current here: the stream's becomes its child.
		Consumer<SseStreamOutcome> observation = this.observations.start(endpoint, topic);
		connection.onClose(() -> {
			this.open.remove(connection);
			this.limits.release(user);
			SseStreamOutcome ended = connection.outcome();
			SseStreamOutcome outcome = (ended != null) ? ended : SseStreamOutcome.COMPLETED;
			this.listener.connectionEnded(endpoint, topic, outcome);
			observation.accept(outcome);
		});
		try {
			if (settings.retry() != null) {
				out.write(SseFormatter.format(SseItem.retryOnly(settings.retry())));
			}
		}
		catch (IOException ex) {
			connection.end(SseStreamOutcome.CLIENT_CLOSED);
			return connection;
		}
		try {
			connection.useNonBlockingOutput();
			this.disconnects.watch(connection, request);
			source.accept(connection);
		}
		catch (RuntimeException ex) {
			// The connection is registered and owns its place now: ending it gives the place back.
			SourceFailures.end(connection, ex, logger);
			return connection;
		}
		// Commits the status and headers now, before any event, so that clients see the stream open.
		connection.commit();
		if (!connection.isEnded()) {
			connection.startTimers();
		}
		return connection;
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
	 * Lets streams open.
	 */
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every open stream after a last {@code retry} hint; streams asked for from now on are
	 * refused with {@code 503}.
	 */
	public void stop() {
		this.running = false;
		this.open.endAllAfter(SseFormatter.format(SseItem.retryOnly(SHUTDOWN_RETRY)));
		if (logger.isDebugEnabled()) {
			logger.debug("Event streams stopped");
		}
	}

	/**
	 * Releases the threads.
	 */
	@Override
	public void close() {
		this.disconnects.close();
		this.threads.close();
	}

	/**
	 * Whether streams may open: started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

}
