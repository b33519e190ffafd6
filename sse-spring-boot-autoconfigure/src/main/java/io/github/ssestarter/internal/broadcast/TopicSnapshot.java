package io.github.ssestarter.internal.broadcast;

import org.jspecify.annotations.Nullable;

/**
 * A topic's state at one moment, for monitoring.
 *
 * @param name the topic's name
 * @param subscribers the number of clients subscribed now
 * @param bufferedEvents the number of events the topic holds for replay and for clients that are
 * behind
 * @param oldestId the id of the oldest event held, or {@code null} if none is
 * @param newestId the id of the newest event published, or {@code null} if none was
 * @param published the number of events published since the broadcaster started
 * @param delivered the number of event writes to clients since then, one per client an event
 * reached
 * @param dropped the number of events clients missed since then because they were too slow
 */
public record TopicSnapshot(String name, int subscribers, int bufferedEvents, @Nullable String oldestId,
		@Nullable String newestId, long published, long delivered, long dropped) {
}
