package io.github.ssestarter.internal.web;

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

	private final Map<String, Integer> perUser = new ConcurrentHashMap<>();

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
			int max = this.maxPerUser;
			boolean[] refused = new boolean[1];
			// Counted inside compute, atomically with the removal at zero in release.
			this.perUser.compute(user, (key, count) -> {
				int held = (count != null) ? count : 0;
				refused[0] = held >= max;
				return refused[0] ? count : Integer.valueOf(held + 1);
			});
			if (refused[0]) {
				this.total.decrementAndGet();
				throw new SseRejectedException(HttpStatus.TOO_MANY_REQUESTS,
						"Too many event streams are open for this user (" + max + ")", this.retryAfter);
			}
		}
	}

	void release(@Nullable String user) {
		this.total.decrementAndGet();
		if (user != null && this.maxPerUser != null) {
			this.perUser.computeIfPresent(user, (key, count) -> (count <= 1) ? null : count - 1);
		}
	}

}
