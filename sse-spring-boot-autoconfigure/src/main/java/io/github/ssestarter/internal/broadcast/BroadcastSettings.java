package io.github.ssestarter.internal.broadcast;

import java.time.Duration;

import io.github.ssestarter.SseOverflowPolicy;

/**
 * How topics buffer and deliver events.
 *
 * @param replayCapacity most events kept per topic for replay
 * @param replayMaxAge oldest event still replayed
 * @param resetEventType type of the event sent when a client's last event id cannot be replayed
 * @param queueCapacity most events a subscriber may fall behind before the overflow policy applies
 * @param overflowPolicy what happens to a subscriber that falls further behind
 */
public record BroadcastSettings(int replayCapacity, Duration replayMaxAge, String resetEventType, int queueCapacity,
		SseOverflowPolicy overflowPolicy) {

	public BroadcastSettings {
		if (replayCapacity < 0) {
			throw new IllegalArgumentException("replayCapacity must not be negative, was " + replayCapacity);
		}
		if (replayMaxAge.isNegative()) {
			throw new IllegalArgumentException("replayMaxAge must not be negative, was " + replayMaxAge);
		}
		if (resetEventType.isEmpty() || resetEventType.indexOf('\n') >= 0 || resetEventType.indexOf('\r') >= 0) {
			throw new IllegalArgumentException("resetEventType must be a non-empty single line, was '" + resetEventType + "'");
		}
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
		}
	}

}
