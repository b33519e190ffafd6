package io.github.ssestarter.internal.broadcast;

import java.util.List;
import java.util.function.Predicate;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.wire.SseFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Where a new subscriber starts: the frames it gets first, then every event after its cursor.
 *
 * @param cursor the sequence of the last event the subscriber does not need from the ring
 * @param preamble frames written before anything from the ring
 * @param replayed how many events the subscriber resumes with (from the preamble and the ring)
 * @param reset whether the client's last event id could not be replayed
 * @param skip events to leave out, or {@code null}
 */
record Resumption(long cursor, List<byte[]> preamble, long replayed, boolean reset,
		@Nullable Predicate<SseItem<?>> skip) {

	/**
	 * A client that sent no id: it learns the id it starts after, so that it resumes exactly if it
	 * drops before the next event.
	 */
	static Resumption live(Topic.LockedView topic) {
		long cursor = topic.liveCursor();
		return new Resumption(cursor, List.of(SseFormatter.format(SseItem.idOnly(topic.idAt(cursor)))), 0, false,
				null);
	}

	/** A client whose id cannot be replayed: a reset event saying why, then live events. */
	static Resumption reset(Topic.LockedView topic, String reason) {
		SseItem<String> reset = SseItem.of(topic.settings().resetEventType(), reason).withId(topic.lastId());
		return new Resumption(topic.lastSequence(), List.of(SseFormatter.format(reset)), 0, true, null);
	}

	/** A client that resumes from the ring, after the given sequence. */
	static Resumption fromRing(Topic.LockedView topic, long cursor) {
		return new Resumption(cursor, List.of(), topic.lastSequence() - cursor, false, null);
	}

	Predicate<? super SseItem<?>> filter(Predicate<? super SseItem<?>> filter) {
		Predicate<SseItem<?>> skip = this.skip;
		return (skip != null) ? (item) -> !skip.test(item) && filter.test(item) : filter;
	}

}
