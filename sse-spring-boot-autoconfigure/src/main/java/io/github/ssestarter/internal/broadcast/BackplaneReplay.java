package io.github.ssestarter.internal.broadcast;

import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Resumption for topics shared through a backplane. A topic starts from the log's backlog, so its
 * ring holds what the log can replay: a client resumes from the ring, under the topic's lock, as in
 * memory, and no client reads the log for itself.
 */
final class BackplaneReplay {

	private BackplaneReplay() {
	}

	/**
	 * Does what a resumption may need from the log, outside the topic's lock, and returns what
	 * places the subscriber under it.
	 */
	static Topic.Resumer prepare(SseBackplane log, @Nullable String lastEventId, Topic topic) {
		if (lastEventId == null) {
			return Resumption::live;
		}
		if (!log.isId(lastEventId)) {
			return (view) -> Resumption.reset(view, "unknown-id");
		}
		if (log.compare(lastEventId, topic.lastId()) > 0 && log.compare(lastEventId, log.newestId(topic.name())) > 0) {
			return (view) -> Resumption.reset(view, "unknown-id");
		}
		return (view) -> resume(view, lastEventId, log::compare);
	}

	private static Resumption resume(Topic.LockedView view, String lastEventId, Comparator<String> order) {
		if (order.compare(lastEventId, view.lastId()) > 0) {
			// The client saw events this instance has yet to read from the log: skip those.
			return new Resumption(view.lastSequence(), List.of(), 0, false,
					(item) -> order.compare(item.id(), lastEventId) <= 0);
		}
		if (order.compare(lastEventId, view.coveredAfterId()) < 0) {
			return Resumption.reset(view, "evicted");
		}
		long sequence = view.sequenceAtOrBefore(lastEventId, order);
		if (!view.idAt(sequence).equals(lastEventId)) {
			// The log's events run without a gap from where the ring starts, so an id within that
			// range that no event has is not from this log: one from before Redis restarted, say.
			return Resumption.reset(view, "unknown-id");
		}
		if (sequence < view.lastSequence() && !MemoryReplay.isReplayable(view, sequence + 1)) {
			return Resumption.reset(view, "evicted");
		}
		return Resumption.fromRing(view, sequence);
	}

}
