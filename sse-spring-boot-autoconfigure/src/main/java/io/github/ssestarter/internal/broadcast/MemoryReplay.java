package io.github.ssestarter.internal.broadcast;

import org.jspecify.annotations.Nullable;

/**
 * Resumption for topics that live in this process only: the ring is all there is.
 */
final class MemoryReplay {

	private MemoryReplay() {
	}

	static Resumption resume(Topic.LockedView topic, EventIds ids, @Nullable String lastEventId) {
		if (lastEventId == null) {
			return Resumption.live(topic);
		}
		long last = topic.lastSequence();
		long sequence = ids.sequenceOf(lastEventId);
		if (sequence == EventIds.FOREIGN) {
			return Resumption.reset(topic, ids.isFromAnotherEpoch(lastEventId) ? "other-epoch" : "unknown-id");
		}
		if (sequence > last) {
			return Resumption.reset(topic, "unknown-id");
		}
		if (sequence < last && !isReplayable(topic, sequence + 1)) {
			return Resumption.reset(topic, "evicted");
		}
		return Resumption.fromRing(topic, sequence);
	}

	/** Whether every event from the given sequence on is still in the ring and young enough. */
	static boolean isReplayable(Topic.LockedView topic, long fromSequence) {
		if (fromSequence <= topic.lastSequence() - topic.settings().replayCapacity()) {
			return false;
		}
		PublishedEvent oldestWanted = topic.eventAt(fromSequence);
		return oldestWanted != null
				&& System.nanoTime() - oldestWanted.publishedNanos() <= topic.settings().replayMaxAge().toNanos();
	}

}
