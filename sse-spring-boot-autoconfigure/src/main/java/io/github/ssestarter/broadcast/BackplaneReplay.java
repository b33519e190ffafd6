package io.github.ssestarter.broadcast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.wire.SseFrameEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Resumption for topics shared through a backplane: what the ring no longer holds is read from the
 * log before the subscriber is admitted, and joined to the ring under the topic's lock where the
 * ring takes over, so that nothing is missed or repeated.
 */
final class BackplaneReplay {

	private final SseBackplane log;

	private final Comparator<String> order;

	private final SseFrameEncoder encoder;

	private final @Nullable String user;

	private final Predicate<? super SseItem<?>> filter;

	BackplaneReplay(SseBackplane log, SseFrameEncoder encoder, @Nullable String user,
			Predicate<? super SseItem<?>> filter) {
		this.log = log;
		this.order = log::compare;
		this.encoder = encoder;
		this.user = user;
		this.filter = filter;
	}

	/**
	 * Does the input and output a resumption may need, outside the topic's lock, and returns what
	 * places the subscriber under it.
	 */
	Topic.Resumer prepare(@Nullable String lastEventId, Topic topic) {
		if (lastEventId == null) {
			return Resumption::live;
		}
		if (!this.log.isId(lastEventId)) {
			return (view) -> Resumption.reset(view, "unknown-id");
		}
		if (this.order.compare(lastEventId, topic.lastId()) > 0
				&& this.order.compare(lastEventId, this.log.newestId(topic.name())) > 0) {
			return (view) -> Resumption.reset(view, "unknown-id");
		}
		List<SseBackplaneEvent> fromLog = null;
		if (this.order.compare(lastEventId, topic.coveredAfterId()) < 0) {
			fromLog = this.log.after(topic.name(), lastEventId, topic.settings().replayCapacity());
			if (fromLog == null) {
				return (view) -> Resumption.reset(view, "evicted");
			}
		}
		List<SseBackplaneEvent> replay = fromLog;
		return (view) -> resume(view, lastEventId, replay);
	}

	private Resumption resume(Topic.LockedView view, String lastEventId, @Nullable List<SseBackplaneEvent> fromLog) {
		if (this.order.compare(lastEventId, view.lastId()) > 0) {
			// The client saw events this instance has yet to read from the log: skip those.
			return new Resumption(view.lastSequence(), List.of(), 0, false,
					(item) -> this.order.compare(item.id(), lastEventId) <= 0);
		}
		String coveredAfter = view.coveredAfterId();
		if (this.order.compare(lastEventId, coveredAfter) >= 0) {
			return Resumption.fromRing(view, view.sequenceAtOrBefore(lastEventId, this.order));
		}
		if (fromLog == null || fromLog.isEmpty()
				|| this.order.compare(fromLog.get(fromLog.size() - 1).id(), coveredAfter) < 0) {
			// The log's answer does not reach the ring: too far behind to replay without a gap.
			return Resumption.reset(view, "evicted");
		}
		List<byte[]> frames = new ArrayList<>();
		for (SseBackplaneEvent event : fromLog) {
			if (this.order.compare(event.id(), coveredAfter) > 0) {
				break;
			}
			SseItem<String> item = event.toItem();
			boolean visible = event.users() == null || (this.user != null && event.users().contains(this.user));
			if (visible && this.filter.test(item)) {
				frames.add(this.encoder.encode(item));
			}
		}
		long cursor = view.sequenceAtOrBefore(coveredAfter, this.order);
		return new Resumption(cursor, frames, frames.size() + (view.lastSequence() - cursor), false, null);
	}

}
