package io.github.ssestarter.internal.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The settings one stream runs with: the application-wide defaults, overridden per endpoint by
 * {@link io.github.ssestarter.SseEndpoint}.
 *
 * @param eventType the event type for items that name none, or {@code null} for {@code message}
 * @param heartbeat the silence after which a heartbeat comment is written
 * @param timeout the longest lifetime of the stream, or {@code null} for no limit
 * @param retry the reconnection delay sent first, or {@code null} to send none
 * @param resumeWindow how long a stream outlives its connection, waiting to be resumed, or
 * {@code null} for a stream that ends with its connection
 */
public record SseEndpointSettings(@Nullable String eventType, Duration heartbeat, @Nullable Duration timeout,
		@Nullable Duration retry, @Nullable Duration resumeWindow) {

	public SseEndpointSettings {
		if (eventType != null && (eventType.isEmpty() || eventType.indexOf('\n') >= 0 || eventType.indexOf('\r') >= 0)) {
			throw new IllegalArgumentException("eventType must be a non-empty single line, was '" + eventType + "'");
		}
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout must be positive, was " + timeout);
		}
		if (retry != null && retry.isNegative()) {
			throw new IllegalArgumentException("retry must not be negative, was " + retry);
		}
		if (resumeWindow != null && (resumeWindow.isNegative() || resumeWindow.isZero())) {
			throw new IllegalArgumentException("resumeWindow must be positive, was " + resumeWindow);
		}
	}

	/**
	 * Settings for streams that end with their connection.
	 * @param eventType the event type for items that name none, or {@code null} for {@code message}
	 * @param heartbeat the silence after which a heartbeat comment is written
	 * @param timeout the longest lifetime of the stream, or {@code null} for no limit
	 * @param retry the reconnection delay sent first, or {@code null} to send none
	 */
	public SseEndpointSettings(@Nullable String eventType, Duration heartbeat, @Nullable Duration timeout,
			@Nullable Duration retry) {
		this(eventType, heartbeat, timeout, retry, null);
	}

}
