package io.github.ssestarter.internal.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.wire.SseFormatter;
import io.github.ssestarter.observation.DefaultSseStreamObservationConvention;
import io.github.ssestarter.observation.SseStreamObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;

/**
 * What every event stream shares, on either web stack: it admits each stream (the server is
 * running, the {@linkplain SseConnectionLimits limits} allow it), creates and registers its
 * {@link SseConnection} with the {@linkplain StreamThreads threads}, the
 * {@linkplain OpenConnections open streams} and the {@linkplain StreamObservations observations},
 * and tells the {@link SseListener} of every stream it opens, refuses, and sees end. When the
 * application stops it refuses new streams and ends the open ones cleanly. Each web stack opens its
 * responses itself and comes here for the rest.
 *
 * <p>Given an {@link #setObservationRegistry ObservationRegistry}, each stream that opens is observed
 * until it ends, with how it ended; streams refused before they open are not.
 */
public final class SseConnectionManager implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SseConnectionManager.class);

	/** Hint sent with the last write on shutdown, and with refusals, so that clients come back soon. */
	public static final Duration SHUTDOWN_RETRY = Duration.ofSeconds(1);

	private final StreamThreads threads;

	private final OpenConnections open = new OpenConnections();

	private final SseConnectionLimits limits;

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
	 * Ends every open stream of one user, for example when they sign out or their session ends.
	 * Their browsers' reconnections then go through the application's security as any request does.
	 * @param user the name of the user (the request principal's name)
	 * @return the number of streams ended
	 */
	public int closeConnectionsOf(String user) {
		return this.open.endAll((connection) -> user.equals(connection.user()));
	}

	/**
	 * Admits a stream, then opens it: refuses it if the server is stopping or a limit is reached,
	 * and otherwise runs the opening, which must {@linkplain #connect connect} the stream. If the
	 * opening fails before that, the stream's place is given back.
	 * @param endpoint the route template of the request
	 * @param user the request principal's name, or {@code null}
	 * @param topic the broadcaster topic the stream delivers, or {@code null}
	 * @param opening opens the response and connects the stream; what it throws refuses the stream
	 * @return what the opening returned
	 * @throws SseRejectedException with {@code 503} if the server is stopping or full, {@code 429}
	 * if the user holds their share
	 */
	public <T> T admit(String endpoint, @Nullable String user, @Nullable String topic, Opening<T> opening)
			throws Exception {
		return admit(endpoint, user, topic, null, opening);
	}

	/**
	 * Admits a stream, then opens it, as {@link #admit(String, String, String, Opening)} does, with
	 * the request's observation given rather than current on the calling thread.
	 * @param requestObservation the request's observation, which the stream's is a child of
	 */
	public <T> T admit(String endpoint, @Nullable String user, @Nullable String topic,
			@Nullable Observation requestObservation, Opening<T> opening) throws Exception {
		if (!this.running) {
			this.listener.connectionEnded(endpoint, topic, SseStreamOutcome.REJECTED);
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "The server is stopping", SHUTDOWN_RETRY);
		}
		try {
			this.limits.acquire(user);
		}
		catch (SseRejectedException ex) {
			this.listener.connectionEnded(endpoint, topic, SseStreamOutcome.REJECTED);
			throw ex;
		}
		boolean[] connected = new boolean[1];
		try {
			return opening.open((settings, channel) -> {
				connected[0] = true;
				return connect(settings, endpoint, topic, user, requestObservation, channel);
			});
		}
		catch (Exception | Error ex) {
			if (!connected[0]) {
				// Failed before a connection took over the place.
				this.limits.release(user);
			}
			throw ex;
		}
	}

	/**
	 * Creates the connection of an admitted stream and registers it: counted open, observed, and
	 * told to the listener until it ends, when its place is given back.
	 */
	private SseConnection connect(SseEndpointSettings settings, String endpoint, @Nullable String topic,
			@Nullable String user, @Nullable Observation requestObservation,
			Function<SseConnection, ResponseChannel> channel) {
		SseConnection connection = new SseConnection(settings, endpoint, topic, user, this.threads, channel);
		this.open.add(connection);
		this.listener.connectionOpened(endpoint, topic);
		// The stream's observation is a child of the request's.
		Consumer<SseStreamOutcome> observation = this.observations.start(endpoint, topic, requestObservation);
		connection.onClose(() -> {
			this.open.remove(connection);
			this.limits.release(user);
			SseStreamOutcome ended = connection.outcome();
			SseStreamOutcome outcome = (ended != null) ? ended : SseStreamOutcome.COMPLETED;
			this.listener.connectionEnded(endpoint, topic, outcome);
			observation.accept(outcome);
		});
		return connection;
	}

	/**
	 * Takes a thread to pull a blocking {@code Stream} source: always available with virtual
	 * threads; else one of {@code sse.executor.max-platform-threads}, and none left is a stream refused.
	 * @param endpoint the route template of the request the source answers
	 * @return gives the thread back; runs once, however often it is called
	 * @throws SseRejectedException with {@code 503} when every thread is pulling a source
	 */
	public Runnable reserveSourceThread(String endpoint) {
		Runnable release = this.threads.reserveSourceThread();
		if (release == null) {
			this.listener.connectionEnded(endpoint, null, SseStreamOutcome.REJECTED);
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "All " + this.threads.maxPlatformThreads()
					+ " threads that pull Stream sources are busy (sse.executor.max-platform-threads)", SHUTDOWN_RETRY);
		}
		return release;
	}

	/**
	 * Pulls {@code Stream} sources, each on a thread {@link #reserveSourceThread reserved} for it.
	 * @return the executor
	 */
	public ExecutorService sourceExecutor() {
		return this.threads.sources();
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
		this.threads.close();
	}

	/**
	 * Whether streams may open: started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Opens an admitted stream's response on one web stack.
	 *
	 * @param <T> what the opening returns
	 */
	@FunctionalInterface
	public interface Opening<T> {

		/**
		 * Opens the response and connects the stream.
		 * @param connector creates the stream's connection, writing to the channel it is given
		 * @return what the caller of {@link SseConnectionManager#admit} gets
		 * @throws Exception if the stream cannot open: it is refused
		 */
		T open(Connector connector) throws Exception;

	}

	/**
	 * Creates an admitted stream's connection.
	 */
	@FunctionalInterface
	public interface Connector {

		/**
		 * Creates and registers the connection.
		 * @param settings the settings the stream runs with
		 * @param channel creates the response channel, given the connection
		 * @return the connection
		 */
		SseConnection connect(SseEndpointSettings settings, Function<SseConnection, ResponseChannel> channel);

	}

}
