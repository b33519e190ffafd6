package io.github.ssestarter.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * Caps on open streams: in all, and per user. A stream over a cap is refused before it starts,
 * with {@code 503} (server full) or {@code 429} (user over their share) and a {@code Retry-After}.
 */
final class SseConnectionLimits {

	private final @Nullable Integer maxConnections;

	private final @Nullable Integer maxPerUser;

	private final Duration retryAfter;

	private final AtomicInteger total = new AtomicInteger();

	private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

	SseConnectionLimits(@Nullable Integer maxConnections, @Nullable Integer maxPerUser, Duration retryAfter) {
		if (maxConnections != null && maxConnections < 1) {
			throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
		}
		if (maxPerUser != null && maxPerUser < 1) {
			throw new IllegalArgumentException("maxConnectionsPerUser must be at least 1, was " + maxPerUser);
		}
		this.maxConnections = maxConnections;
		this.maxPerUser = maxPerUser;
		this.retryAfter = retryAfter;
	}

	/**
	 * Takes a place for one stream, to be given back with {@link #release}.
	 * @throws SseRejectedException if a cap is reached
	 */
	void acquire(@Nullable String user) {
		if (this.total.incrementAndGet() > (this.maxConnections != null ? this.maxConnections : Integer.MAX_VALUE)) {
			this.total.decrementAndGet();
			throw new SseRejectedException(HttpStatus.SERVICE_UNAVAILABLE,
					"Too many event streams are open (" + this.maxConnections + ")", this.retryAfter);
		}
		if (user != null && this.maxPerUser != null) {
			AtomicInteger count = this.perUser.computeIfAbsent(user, (key) -> new AtomicInteger());
			if (count.incrementAndGet() > this.maxPerUser) {
				release(user);
				throw new SseRejectedException(HttpStatus.TOO_MANY_REQUESTS,
						"Too many event streams are open for this user (" + this.maxPerUser + ")", this.retryAfter);
			}
		}
	}

	void release(@Nullable String user) {
		this.total.decrementAndGet();
		if (user != null && this.maxPerUser != null) {
			this.perUser.computeIfPresent(user, (key, count) -> (count.decrementAndGet() <= 0) ? null : count);
		}
	}

}
