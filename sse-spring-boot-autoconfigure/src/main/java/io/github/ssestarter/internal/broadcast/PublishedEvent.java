package io.github.ssestarter.internal.broadcast;

import java.util.Map;
import java.util.Set;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

/**
 * One event as a topic keeps it: its place in the topic, the item with its id (for filters), the
 * frame every subscriber receives, the users it is addressed to ({@code null} for everyone), and
 * the headers it was published with (the publisher's trace context, empty when none), which the
 * observation of its delivery reads.
 * A place may be held for an event whose transaction has not completed yet: it is
 * {@link #isPending() pending}, and no subscriber goes past it until it is filled or discarded. A
 * {@link #isReset() reset} stands where events were lost: every subscriber that passes it gets its
 * frame, the reset event.
 */
record PublishedEvent(long sequence, String id, @Nullable SseItem<?> item, byte @Nullable [] frame,
		@Nullable Set<String> users, long publishedNanos, Map<String, String> headers) {

	/** A place held for an event whose transaction has not completed. */
	static PublishedEvent pending(long sequence, String id) {
		return new PublishedEvent(sequence, id, null, null, Set.of(), System.nanoTime(), Map.of());
	}

	/** The place of an event whose transaction rolled back: nobody sees it. */
	static PublishedEvent discarded(long sequence, String id, long publishedNanos) {
		return new PublishedEvent(sequence, id, null, new byte[0], Set.of(), publishedNanos, Map.of());
	}

	/** Where events of a shared log were lost: everyone gets the reset event it carries. */
	static PublishedEvent reset(long sequence, String id, byte[] frame, long publishedNanos) {
		return new PublishedEvent(sequence, id, null, frame, null, publishedNanos, Map.of());
	}

	boolean isReset() {
		return this.item == null && this.users == null;
	}

	boolean isPending() {
		return this.frame == null;
	}

	boolean isVisibleTo(@Nullable String user) {
		return this.users == null || (user != null && this.users.contains(user));
	}

}
