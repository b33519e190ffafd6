package io.github.ssestarter.broadcast;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseOverflowPolicy;
import io.github.ssestarter.wire.SseFrameEncoder;
import org.jspecify.annotations.Nullable;

/**
 * The resumable streams of this instance: started by controller methods, found again by the id
 * of one of their events, and cancelled when nobody resumes them within their window.
 *
 * <p>A stream's key is 128 random bits, so that an anonymous stream can only be resumed by whoever
 * was given one of its ids. At most {@code maxDetached} streams are kept without a client; when one
 * more loses its client, the stream that has waited longest is cancelled to make room. Streams
 * with a client are bounded by the connection limits.
 */
public final class ResumableStreams implements AutoCloseable {

	/** How often detached streams are checked for the end of their window. */
	private static final Duration SWEEP_PERIOD = Duration.ofMillis(250);

	/** The ring of a resumable stream is replayed whatever the age of its events. */
	private static final Duration NO_MAX_AGE = Duration.ofNanos(Long.MAX_VALUE);

	private final SecureRandom random = new SecureRandom();

	private final BroadcastSettings settings;

	private final int maxDetached;

	private final SseFrameEncoder encoder;

	private final SseListener listener;

	private final Map<String, ResumableStream> streams = new ConcurrentHashMap<>();

	/** Streams without a client, longest waiting first; guarded by itself. */
	private final LinkedHashSet<ResumableStream> detached = new LinkedHashSet<>();

	private final ScheduledExecutorService sweeper;

	/**
	 * Creates the registry and starts the thread that cancels expired streams.
	 * @param capacity most events kept per stream, at least 2
	 * @param maxDetached most streams kept without a client, at least 1
	 * @param resetEventType type of the event sent to a client whose last event is no longer kept
	 * @param encoder encodes each event once
	 * @param listener told of streams detached, resumed and expired
	 */
	public ResumableStreams(int capacity, int maxDetached, String resetEventType, SseFrameEncoder encoder,
			SseListener listener) {
		if (capacity < 2) {
			throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
		}
		if (maxDetached < 1) {
			throw new IllegalArgumentException("maxDetached must be at least 1, was " + maxDetached);
		}
		// A client is never further behind than the ring, so the overflow policy never applies.
		this.settings = new BroadcastSettings(capacity, NO_MAX_AGE, resetEventType, capacity,
				SseOverflowPolicy.DISCONNECT);
		this.maxDetached = maxDetached;
		this.encoder = Objects.requireNonNull(encoder, "encoder must not be null");
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		this.sweeper = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "sse-resumable");
			thread.setDaemon(true);
			thread.setContextClassLoader(ResumableStreams.class.getClassLoader());
			return thread;
		});
		this.sweeper.scheduleWithFixedDelay(this::expireIdle, SWEEP_PERIOD.toMillis(), SWEEP_PERIOD.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts a stream; the caller connects its first client and starts its source.
	 * @param scope what a resuming request must match, such as the handler method and path
	 * @param endpoint the route template, for metrics
	 * @param owner the user who may resume the stream, or {@code null} for anyone holding an id
	 * @param window how long the stream waits for a client to resume it
	 * @param executor runs source actions that waited for room
	 * @return the stream
	 */
	public ResumableStream start(String scope, String endpoint, @Nullable String owner, Duration window,
			Executor executor) {
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive, was " + window);
		}
		ResumableStream stream = new ResumableStream(this, newKey(), scope, endpoint, owner, window, this.settings,
				this.encoder, executor);
		this.streams.put(stream.key(), stream);
		return stream;
	}

	/**
	 * Finds the stream an event id belongs to, if the requesting user may resume it.
	 * @param lastEventId the id the client sent
	 * @param scope the scope of the request, which must be the stream's
	 * @param user the requesting user, or {@code null} if anonymous
	 * @return the stream, or {@code null} if the id names no live stream this request may resume
	 */
	public @Nullable ResumableStream find(String lastEventId, String scope, @Nullable String user) {
		int dash = lastEventId.lastIndexOf('-');
		if (dash <= 0) {
			return null;
		}
		ResumableStream stream = this.streams.get(lastEventId.substring(0, dash));
		if (stream == null || !stream.scope().equals(scope) || stream.isCancelled()) {
			return null;
		}
		String owner = stream.owner();
		return (owner == null || owner.equals(user)) ? stream : null;
	}

	/**
	 * Tells of a client that resumes a stream.
	 * @param stream the stream
	 */
	public void resumed(ResumableStream stream) {
		this.listener.streamResumed(stream.endpoint());
	}

	/**
	 * Number of streams kept now, with or without a client.
	 * @return the count
	 */
	public int size() {
		return this.streams.size();
	}

	/**
	 * Number of streams kept now without a client.
	 * @return the count
	 */
	public int detachedCount() {
		synchronized (this.detached) {
			return this.detached.size();
		}
	}

	void attached(ResumableStream stream) {
		synchronized (this.detached) {
			this.detached.remove(stream);
		}
	}

	void detached(ResumableStream stream) {
		ResumableStream evicted = null;
		synchronized (this.detached) {
			this.detached.remove(stream);
			this.detached.add(stream);
			if (this.detached.size() > this.maxDetached) {
				Iterator<ResumableStream> oldest = this.detached.iterator();
				evicted = oldest.next();
				oldest.remove();
			}
		}
		this.listener.streamDetached(stream.endpoint());
		if (evicted != null) {
			drop(evicted, evicted.cancel());
		}
	}

	void expireIdle() {
		long now = System.nanoTime();
		List<ResumableStream> candidates;
		synchronized (this.detached) {
			candidates = new ArrayList<>(this.detached);
		}
		for (ResumableStream stream : candidates) {
			if (stream.expireIfIdle(now)) {
				synchronized (this.detached) {
					this.detached.remove(stream);
				}
				drop(stream, true);
			}
		}
	}

	private void drop(ResumableStream stream, boolean expired) {
		this.streams.remove(stream.key(), stream);
		if (expired) {
			this.listener.streamExpired(stream.endpoint());
		}
	}

	/**
	 * Cancels every stream and stops the expiry thread.
	 */
	@Override
	public void close() {
		this.sweeper.shutdownNow();
		for (ResumableStream stream : this.streams.values()) {
			stream.cancel();
		}
		this.streams.clear();
		synchronized (this.detached) {
			this.detached.clear();
		}
	}

	private String newKey() {
		byte[] bits = new byte[16];
		this.random.nextBytes(bits);
		return new BigInteger(1, bits).toString(36);
	}

}
