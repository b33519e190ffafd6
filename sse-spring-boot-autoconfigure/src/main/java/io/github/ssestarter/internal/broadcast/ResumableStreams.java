package io.github.ssestarter.internal.broadcast;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseOverflowPolicy;
import io.github.ssestarter.internal.broadcast.SseBackplane.StreamLogs;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The resumable streams of this instance: started by controller methods, found again by the id
 * of one of their events, and cancelled when nobody resumes them within their window.
 *
 * <p>A stream's key is 128 random bits, so that an anonymous stream can only be resumed by whoever
 * was given one of its ids. At most {@code maxDetached} streams are kept without a client; when one
 * more loses its client, the stream that has waited longest is cancelled to make room. Streams
 * with a client are bounded by the connection limits.
 *
 * <p>With {@link #shareThrough shared logs}, streams started here are copied into them, and a
 * client may resume, on this instance, a stream started on another: every quarter of a second,
 * this instance reports how far such clients have got, reads how far clients elsewhere have got
 * with streams started here, and every second keeps the logs of its live streams from expiring.
 */
public final class ResumableStreams implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ResumableStreams.class);

	/** Sweeps between two renewals of the logs' expiries, and between two reports of an unchanged position. */
	private static final int SWEEPS_PER_RENEWAL = 4;

	/** How long a client elsewhere counts after it was last reported. */
	private static final Duration REPORT_EXPIRY = Duration.ofSeconds(3);

	/** The longest stream key: 128 bits in base 36. */
	private static final int MAX_KEY_LENGTH = 25;

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

	/** Clients here of streams started elsewhere. */
	private final Set<MirroredStream> mirrored = ConcurrentHashMap.newKeySet();

	private volatile @Nullable StreamLogs logs;

	/** Whether writing to the shared logs fails, so that it is logged once. */
	private final AtomicBoolean logFailing = new AtomicBoolean();

	/** Whether the shared logs are not to be used: the application is stopping. */
	private volatile boolean deactivated;

	/** Counts sweeps; only touched by the sweeper. */
	private long sweeps;

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
	 * Shares streams with other instances through their logs: streams started from now on are
	 * copied into them, and streams started elsewhere can be {@link #findElsewhere found}.
	 * @param logs the shared logs
	 */
	public void shareThrough(StreamLogs logs) {
		this.logs = Objects.requireNonNull(logs, "logs must not be null");
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
		String key = newKey();
		StreamLogs shared = this.deactivated ? null : this.logs;
		StreamLogWriter log = (shared != null) ? new StreamLogWriter(shared, key,
				StreamLogEntries.Meta.of(scope, owner, endpoint), this.settings.replayCapacity(), window,
				this.logFailing) : null;
		ResumableStream stream = new ResumableStream(this, key, scope, endpoint, owner, window, this.settings,
				this.encoder, executor, log);
		this.streams.put(stream.key(), stream);
		if (log != null) {
			log.started();
		}
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
	 * Finds, in the shared logs, the stream started on another instance that an event id belongs
	 * to, if the requesting user may resume it, and starts following its log.
	 * @param lastEventId the id the client sent
	 * @param scope the scope of the request, which must be the stream's
	 * @param user the requesting user, or {@code null} if anonymous
	 * @return the stream, to be connected or closed, or {@code null} if the logs hold no live
	 * stream this request may resume, or there are no shared logs
	 * @throws SseBackplaneException if the logs cannot be reached
	 */
	public @Nullable MirroredStream findElsewhere(String lastEventId, String scope, @Nullable String user) {
		StreamLogs shared = this.deactivated ? null : this.logs;
		int dash = lastEventId.lastIndexOf('-');
		if (shared == null || dash <= 0 || dash > MAX_KEY_LENGTH) {
			return null;
		}
		String key = lastEventId.substring(0, dash);
		if (!key.chars().allMatch((c) -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
				|| new EventIds(key).sequenceOf(lastEventId) == EventIds.FOREIGN) {
			return null;
		}
		return MirroredStream.open(this, shared, key, scope, user, this.settings);
	}

	/**
	 * Tells of a client that resumes a stream.
	 * @param stream the stream
	 */
	public void resumed(ResumableStream stream) {
		this.listener.streamResumed(stream.endpoint());
	}

	/**
	 * Tells of a client that resumes, here, a stream started on another instance.
	 * @param stream the stream
	 */
	public void resumed(MirroredStream stream) {
		this.listener.streamResumed(stream.endpoint());
	}

	void mirrored(MirroredStream stream) {
		this.mirrored.add(stream);
	}

	void unmirrored(MirroredStream stream) {
		this.mirrored.remove(stream);
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
		StreamLogs shared = this.logs;
		if (shared != null && !this.deactivated) {
			share(shared, candidates, now);
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

	/**
	 * Reports the position of clients here of streams started elsewhere, takes in those of clients
	 * elsewhere of streams started here and left without a client here, and renews the logs of
	 * streams started here. Failures are retried on the next sweep.
	 */
	private void share(StreamLogs shared, List<ResumableStream> detachedHere, long now) {
		boolean renewal = this.sweeps++ % SWEEPS_PER_RENEWAL == 0;
		try {
			for (MirroredStream stream : this.mirrored) {
				long position = stream.positionToReport(renewal);
				if (position >= 0) {
					shared.mark(stream.key(), Long.toString(position), REPORT_EXPIRY);
				}
			}
			List<String> keys = detachedHere.stream().filter(ResumableStream::isShared).map(ResumableStream::key).toList();
			Map<String, String> marks = shared.marks(keys);
			for (ResumableStream stream : detachedHere) {
				String mark = marks.get(stream.key());
				long position = (mark != null) ? parsePosition(mark) : -1;
				if (position >= 0) {
					stream.remoteClientAt(position, now);
				}
			}
			if (renewal) {
				Map<String, Duration> expiries = new HashMap<>();
				for (ResumableStream stream : this.streams.values()) {
					if (stream.isShared()) {
						expiries.put(stream.key(), stream.window());
					}
				}
				if (!expiries.isEmpty()) {
					shared.keep(expiries);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not share resumable streams' positions through the shared log", ex);
		}
	}

	private static long parsePosition(String mark) {
		try {
			return Long.parseLong(mark);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private void drop(ResumableStream stream, boolean expired) {
		this.streams.remove(stream.key(), stream);
		if (expired) {
			this.listener.streamExpired(stream.endpoint());
		}
	}

	/**
	 * Cancels every stream, telling other instances so through the shared logs, and stops using
	 * them, as the application stops: streams started afterwards are kept here only, until
	 * {@link #activate()}.
	 */
	public void deactivate() {
		cancelAll();
		this.deactivated = true;
	}

	/**
	 * Uses the shared logs again after {@link #deactivate()}.
	 */
	public void activate() {
		this.deactivated = false;
	}

	/**
	 * Cancels every stream started here, telling other instances so through the shared logs, and
	 * ends the connections of clients here of streams started elsewhere.
	 */
	private void cancelAll() {
		for (ResumableStream stream : this.streams.values()) {
			if (stream.cancel()) {
				this.streams.remove(stream.key(), stream);
			}
		}
		for (MirroredStream stream : this.mirrored) {
			stream.close();
		}
		synchronized (this.detached) {
			this.detached.clear();
		}
	}

	/**
	 * Cancels every stream and stops the expiry thread.
	 */
	@Override
	public void close() {
		this.sweeper.shutdownNow();
		cancelAll();
		this.streams.clear();
	}

	private String newKey() {
		byte[] bits = new byte[16];
		this.random.nextBytes(bits);
		return new BigInteger(1, bits).toString(36);
	}

}
