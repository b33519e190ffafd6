package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import io.github.ssestarter.observation.SseObservationDocumentation;
import io.github.ssestarter.observation.SseStreamObservationContext;
import io.github.ssestarter.observation.SseStreamObservationConvention;
import io.micrometer.observation.Observation;
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
 * Opens event streams on Spring MVC requests and owns what they share: the executor that pulls
 * blocking sources and performs writes, the one scheduler that serves every stream's heartbeat and
 * timeout, and the set of open streams, which it ends cleanly when the application stops.
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

	private static final DefaultSseStreamObservationConvention DEFAULT_CONVENTION = new DefaultSseStreamObservationConvention();

	private final ExecutorService sources;

	private final ExecutorService elements;

	/** Threads free to pull a {@code Stream}, where they are platform threads; {@code null} for virtual threads. */
	private final @Nullable Semaphore sourceThreads;

	private final int maxPlatformThreads;

	private final ExecutorService dispatcher;

	private final ScheduledThreadPoolExecutor scheduler;

	/** Ends the streams the scheduler finds over, so that their clean-up never delays a heartbeat. */
	private final ExecutorService closer;

	private final Set<SseConnection> open = ConcurrentHashMap.newKeySet();

	private final SseConnectionLimits limits;

	private final DisconnectWatch disconnects = new DisconnectWatch();

	private final SseListener listener;

	private volatile boolean running;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable SseStreamObservationConvention observationConvention;

	/**
	 * Creates a manager without limits on the number of streams.
	 * @param maxPlatformThreads the executor's size where virtual threads are not available
	 */
	public SseConnectionManager(int maxPlatformThreads) {
		this(maxPlatformThreads, null, null);
	}

	/**
	 * Creates a manager with its own executor and scheduler, both released by {@link #close()}.
	 * @param maxPlatformThreads the executor's size where virtual threads are not available
	 * @param maxConnections most streams open at once, beyond which streams are refused with
	 * {@code 503}; {@code null} for no limit
	 * @param maxConnectionsPerUser most streams one user (the request's principal) may hold,
	 * beyond which they are refused with {@code 429}; {@code null} for no limit
	 */
	public SseConnectionManager(int maxPlatformThreads, @Nullable Integer maxConnections,
			@Nullable Integer maxConnectionsPerUser) {
		this(maxPlatformThreads, maxConnections, maxConnectionsPerUser, SseListener.none());
	}

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
		this.sources = SseExecutors.sourceExecutor(maxPlatformThreads);
		this.elements = SseExecutors.elementExecutor(maxPlatformThreads);
		this.maxPlatformThreads = maxPlatformThreads;
		this.sourceThreads = (this.sources instanceof ThreadPoolExecutor) ? new Semaphore(maxPlatformThreads) : null;
		this.dispatcher = SseExecutors.dispatcher();
		this.scheduler = SseExecutors.scheduler();
		this.closer = SseExecutors.closer();
	}

	/**
	 * Sets the registry that observes each stream from its opening to its end; none by default.
	 * Must be called before streams open.
	 * @param registry the registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.observationRegistry = registry;
	}

	/**
	 * Sets the convention that names streams' observations and gives their key values, instead of
	 * {@link DefaultSseStreamObservationConvention}. Must be called before streams open.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable SseStreamObservationConvention convention) {
		this.observationConvention = convention;
	}

	/**
	 * Number of streams open now.
	 * @return the count
	 */
	public int openConnections() {
		return this.open.size();
	}

	/**
	 * Number of streams open now, by the route template of the requests that opened them.
	 * @return the counts, sorted by route template; endpoints without open streams are absent
	 */
	public Map<String, Integer> openConnectionsByEndpoint() {
		Map<String, Integer> counts = new TreeMap<>();
		for (SseConnection connection : this.open) {
			counts.merge(connection.endpoint(), 1, Integer::sum);
		}
		return counts;
	}

	/**
	 * Ends every open stream normally, topics and resumable streams alike: clients reconnect with
	 * their last event id and resume, for example on another instance before this one is
	 * deployed anew.
	 * @return the number of streams ended
	 */
	public int closeAll() {
		int closed = 0;
		for (SseConnection connection : this.open) {
			if (!connection.isEnded()) {
				connection.end(SseStreamOutcome.COMPLETED);
				closed++;
			}
		}
		return closed;
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
		int closed = 0;
		for (SseConnection connection : this.open) {
			if (user.equals(connection.user()) && !connection.isEnded()) {
				connection.end(SseStreamOutcome.COMPLETED);
				closed++;
			}
		}
		return closed;
	}

	/**
	 * Takes a thread to pull a blocking {@code Stream} source: always available with virtual
	 * threads; else one of {@code sse.executor.max-platform-threads}, and none left is a stream refused.
	 * @param request the request the source answers
	 * @return gives the thread back; runs once, however often it is called
	 * @throws SseRejectedException with {@code 503} when every thread is pulling a source
	 */
	Runnable reserveSourceThread(HttpServletRequest request) {
		Semaphore threads = this.sourceThreads;
		if (threads == null) {
			return () -> {
			};
		}
		if (!threads.tryAcquire()) {
			this.listener.connectionEnded(endpointOf(request), null, SseStreamOutcome.REJECTED);
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "All " + this.maxPlatformThreads
					+ " threads that pull Stream sources are busy (sse.executor.max-platform-threads)", SHUTDOWN_RETRY);
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				threads.release();
			}
		};
	}

	/** Pulls {@code Stream} sources, each on a thread {@link #reserveSourceThread reserved} for it. */
	ExecutorService sourceExecutor() {
		return this.sources;
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
		mavContainer.setRequestHandled(true);
		ShallowEtagHeaderFilter.disableContentCaching(request);

		DeferredResult<Object> result = new DeferredResult<>(NO_ASYNC_TIMEOUT);
		WebAsyncUtils.getAsyncManager(webRequest).startDeferredResultProcessing(result, mavContainer);

		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream;charset=UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		ServletOutputStream out = response.getOutputStream();
		SseConnection connection = new SseConnection(out, result, settings, endpoint, topic, user, this.elements,
				this.dispatcher, this.scheduler, this.closer);
		result.onError((ex) -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
		result.onTimeout(() -> connection.end(SseStreamOutcome.TIMEOUT));
		result.onCompletion(() -> connection.end(SseStreamOutcome.CLIENT_CLOSED));
		this.open.add(connection);
		this.listener.connectionOpened(endpoint, topic);
		SseStreamObservationContext observed = new SseStreamObservationContext(endpoint, topic);
		// The request's own observation, if any, is current here: the stream's becomes its child.
		Observation observation = SseObservationDocumentation.STREAM
			.observation(this.observationConvention, DEFAULT_CONVENTION, () -> observed, this.observationRegistry)
			.start();
		connection.onClose(() -> {
			this.open.remove(connection);
			this.limits.release(user);
			SseStreamOutcome ended = connection.outcome();
			SseStreamOutcome outcome = (ended != null) ? ended : SseStreamOutcome.COMPLETED;
			this.listener.connectionEnded(endpoint, topic, outcome);
			observed.setOutcome(outcome.label());
			observation.stop();
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
		byte[] goodbye = SseFormatter.format(SseItem.retryOnly(SHUTDOWN_RETRY));
		for (SseConnection connection : this.open) {
			// Not waiting for a client that cannot take it: it reconnects anyway once the stream ends.
			connection.write(List.of(goodbye));
			connection.end(SseStreamOutcome.COMPLETED);
		}
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
		this.scheduler.shutdownNow();
		this.closer.shutdownNow();
		this.dispatcher.shutdownNow();
		this.elements.shutdownNow();
		this.sources.shutdownNow();
		try {
			this.sources.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Whether streams may open: started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

}
