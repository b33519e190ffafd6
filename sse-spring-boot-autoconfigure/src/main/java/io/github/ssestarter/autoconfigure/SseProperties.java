package io.github.ssestarter.autoconfigure;

import java.time.Duration;

import io.github.ssestarter.SseOverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of Server-Sent Event streams, under {@code sse.*}.
 */
@ConfigurationProperties("sse")
public class SseProperties {

	/**
	 * Silence after which a heartbeat comment is written to keep the stream and proxies alive.
	 */
	private Duration heartbeat = Duration.ofSeconds(15);

	/**
	 * Longest lifetime of one stream, after which it ends and the client reconnects; unset for no limit.
	 */
	private @Nullable Duration timeout;

	/**
	 * Reconnection delay sent to every client as the first line of its stream; unset to leave the browser's default.
	 */
	private @Nullable Duration retry;

	/**
	 * Longest Last-Event-ID accepted, in characters; a longer one is answered with 400.
	 */
	private int maxLastEventIdLength = 256;

	/**
	 * Most event streams open at once; beyond it streams are refused with 503 and Retry-After; unset for no limit.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Most event streams one user (the request's principal) may hold; beyond it streams are refused with 429 and Retry-After; unset for no limit.
	 */
	private @Nullable Integer maxConnectionsPerUser;

	/**
	 * Where topics live: memory (this instance only) or redis (shared by every instance through Redis Streams).
	 */
	private Backplane backplane = Backplane.MEMORY;

	/**
	 * With a backplane, how long an event published inside a transaction holds back its topic on every instance
	 * before it is given up (its transaction did not complete: its instance died, say).
	 */
	private Duration afterCommitTimeout = Duration.ofMinutes(1);

	/**
	 * Response buffer of each event stream on Spring MVC. Jetty holds one per open stream (its own default is 32KB);
	 * a larger one saves CPU when large bursts are sent, at that much more memory per stream.
	 */
	private DataSize responseBufferSize = DataSize.ofKilobytes(4);

	private final Executor executor = new Executor();

	private final Replay replay = new Replay();

	private final Subscriber subscriber = new Subscriber();

	private final Resume resume = new Resume();

	private final Observations observations = new Observations();

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = positive("sse.heartbeat", heartbeat);
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = (timeout != null) ? positive("sse.timeout", timeout) : null;
	}

	public @Nullable Duration getRetry() {
		return this.retry;
	}

	public void setRetry(@Nullable Duration retry) {
		this.retry = (retry != null) ? notNegative("sse.retry", retry) : null;
	}

	public int getMaxLastEventIdLength() {
		return this.maxLastEventIdLength;
	}

	public void setMaxLastEventIdLength(int maxLastEventIdLength) {
		this.maxLastEventIdLength = atLeast("sse.max-last-event-id-length", maxLastEventIdLength, 1);
	}

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = (maxConnections != null) ? atLeast("sse.max-connections", maxConnections, 1) : null;
	}

	public @Nullable Integer getMaxConnectionsPerUser() {
		return this.maxConnectionsPerUser;
	}

	public void setMaxConnectionsPerUser(@Nullable Integer maxConnectionsPerUser) {
		this.maxConnectionsPerUser = (maxConnectionsPerUser != null)
				? atLeast("sse.max-connections-per-user", maxConnectionsPerUser, 1) : null;
	}

	public Backplane getBackplane() {
		return this.backplane;
	}

	public void setBackplane(Backplane backplane) {
		this.backplane = backplane;
	}

	public DataSize getResponseBufferSize() {
		return this.responseBufferSize;
	}

	public void setResponseBufferSize(DataSize responseBufferSize) {
		long bytes = responseBufferSize.toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"sse.response-buffer-size must be between 1B and " + Integer.MAX_VALUE + "B, was " + responseBufferSize);
		}
		this.responseBufferSize = responseBufferSize;
	}

	public Duration getAfterCommitTimeout() {
		return this.afterCommitTimeout;
	}

	public void setAfterCommitTimeout(Duration afterCommitTimeout) {
		this.afterCommitTimeout = positive("sse.after-commit-timeout", afterCommitTimeout);
	}

	public Executor getExecutor() {
		return this.executor;
	}

	public Replay getReplay() {
		return this.replay;
	}

	public Subscriber getSubscriber() {
		return this.subscriber;
	}

	public Resume getResume() {
		return this.resume;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Where broadcaster topics live.
	 */
	public enum Backplane {

		/**
		 * In this instance's memory only.
		 */
		MEMORY,

		/**
		 * In Redis Streams, shared by every instance, through the application's Redis connection.
		 */
		REDIS

	}

	/**
	 * The replay buffer each broadcaster topic keeps for clients that reconnect.
	 */
	public static class Replay {

		/**
		 * Most events kept per topic for Last-Event-ID replay.
		 */
		private int capacity = 1000;

		/**
		 * Oldest event still replayed; a client whose last event is older gets the reset event.
		 */
		private Duration maxAge = Duration.ofMinutes(5);

		/**
		 * Type of the event sent, before live events, to a client whose Last-Event-ID cannot be replayed.
		 */
		private String resetEventType = "reset";

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = atLeast("sse.replay.capacity", capacity, 0);
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = notNegative("sse.replay.max-age", maxAge);
		}

		public String getResetEventType() {
			return this.resetEventType;
		}

		public void setResetEventType(String resetEventType) {
			if (resetEventType.isEmpty() || resetEventType.indexOf('\n') >= 0 || resetEventType.indexOf('\r') >= 0) {
				throw new IllegalArgumentException("sse.replay.reset-event-type must be one non-empty line");
			}
			this.resetEventType = resetEventType;
		}

	}

	/**
	 * Streams of endpoints with a resume window, kept while their clients are away.
	 */
	public static class Resume {

		/**
		 * Most events kept per resumable stream; its source waits while it is half this many events ahead of its client.
		 */
		private int capacity = 1000;

		/**
		 * Most resumable streams kept without a client; beyond it, the one that has waited longest is cancelled.
		 */
		private int maxDetached = 1000;

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = atLeast("sse.resume.capacity", capacity, 2);
		}

		public int getMaxDetached() {
			return this.maxDetached;
		}

		public void setMaxDetached(int maxDetached) {
			this.maxDetached = atLeast("sse.resume.max-detached", maxDetached, 1);
		}

	}

	/**
	 * Delivery to each broadcaster subscriber.
	 */
	public static class Subscriber {

		/**
		 * Most events one subscriber may fall behind its topic before the overflow policy applies.
		 */
		private int queueCapacity = 256;

		/**
		 * What happens to a subscriber that falls further behind: disconnect (it reconnects and is replayed) or drop-oldest.
		 */
		private SseOverflowPolicy overflowPolicy = SseOverflowPolicy.DISCONNECT;

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = atLeast("sse.subscriber.queue-capacity", queueCapacity, 1);
		}

		public SseOverflowPolicy getOverflowPolicy() {
			return this.overflowPolicy;
		}

		public void setOverflowPolicy(SseOverflowPolicy overflowPolicy) {
			this.overflowPolicy = overflowPolicy;
		}

	}

	/**
	 * Micrometer Observations of publications, deliveries and streams.
	 */
	public static class Observations {

		/**
		 * Whether to observe publications, deliveries and streams when the application has an ObservationRegistry; off, they cost nothing at all.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Threads that pull blocking sources; broadcaster subscriptions need none.
	 */
	public static class Executor {

		/**
		 * Before Java 21 only (from 21 on, sources run on virtual threads, bounded by sse.max-connections): most Stream sources pulled at once, beyond which a Stream endpoint answers 503, and the size of the pool that handles Flux elements.
		 */
		private int maxPlatformThreads = 256;

		public int getMaxPlatformThreads() {
			return this.maxPlatformThreads;
		}

		public void setMaxPlatformThreads(int maxPlatformThreads) {
			this.maxPlatformThreads = atLeast("sse.executor.max-platform-threads", maxPlatformThreads, 1);
		}

	}


	// Checked as bound, so that a bad value fails startup with a message naming its key.

	private static Duration positive(String key, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(key + " must be positive, was " + value);
		}
		return value;
	}

	private static Duration notNegative(String key, Duration value) {
		if (value.isNegative()) {
			throw new IllegalArgumentException(key + " must not be negative, was " + value);
		}
		return value;
	}

	private static int atLeast(String key, int value, int minimum) {
		if (value < minimum) {
			throw new IllegalArgumentException(key + " must be at least " + minimum + ", was " + value);
		}
		return value;
	}

}
