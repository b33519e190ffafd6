package io.github.ssestarter.broadcast;

import java.util.Set;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

/**
 * One event as a topic keeps it: its place in the topic, the item with its id (for filters), the
 * frame every subscriber receives, and the users it is addressed to ({@code null} for everyone).
 */
record PublishedEvent(long sequence, String id, SseItem<?> item, byte[] frame, @Nullable Set<String> users,
		long publishedNanos) {

	boolean isVisibleTo(@Nullable String user) {
		return this.users == null || (user != null && this.users.contains(user));
	}

}
