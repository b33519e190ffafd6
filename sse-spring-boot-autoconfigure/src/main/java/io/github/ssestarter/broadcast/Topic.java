package io.github.ssestarter.broadcast;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.wire.SseFormatter;
import org.jspecify.annotations.Nullable;

/**
 * One topic: a ring of its most recent events and its subscribers.
 *
 * <p>The ring is both the replay buffer and every subscriber's queue: a subscriber is only a
 * cursor into it, so memory stays bounded by the ring whatever the number of subscribers or how far
 * behind they are. Events enter the ring under a lock that also admits subscribers, which is what
 * makes hand-over from replay to live delivery free of gaps and duplicates: a new subscriber's
 * cursor is the sequence of the last event published before it joined.
 */
final class Topic {

	private final String name;

	private final EventIds ids;

	private final BroadcastSettings settings;

	private final SseListener listener;

	private final LongAdder delivered = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final AtomicReferenceArray<PublishedEvent> ring;

	private final Set<TopicSubscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	private volatile long lastSequence;

	Topic(String name, EventIds ids, BroadcastSettings settings, SseListener listener) {
		this.name = name;
		this.ids = ids;
		this.settings = settings;
		this.listener = listener;
		// Room for the replay window and for the furthest a subscriber may lag.
		this.ring = new AtomicReferenceArray<>(Math.max(settings.replayCapacity(), settings.queueCapacity()) + 1);
	}

	String name() {
		return this.name;
	}

	BroadcastSettings settings() {
		return this.settings;
	}

	long lastSequence() {
		return this.lastSequence;
	}

	String lastId() {
		return this.ids.format(this.lastSequence);
	}

	int bufferedEventCount() {
		return (int) Math.min(this.lastSequence, this.ring.length());
	}

	int subscriberCount() {
		return this.subscribers.size();
	}

	SseListener listener() {
		return this.listener;
	}

	/** Counts events written to subscribers, reported by them after each write. */
	void delivered(int count) {
		this.delivered.add(count);
	}

	/** Counts events a subscriber will not get over its connection. */
	void dropped(String reason, long count) {
		this.dropped.add(count);
		this.listener.eventsDropped(this.name, reason, count);
	}

	TopicSnapshot snapshot() {
		long last = this.lastSequence;
		int buffered = bufferedEventCount();
		String oldest = (buffered > 0) ? this.ids.format(last - buffered + 1) : null;
		String newest = (last > 0) ? this.ids.format(last) : null;
		return new TopicSnapshot(this.name, subscriberCount(), buffered, oldest, newest, last, this.delivered.sum(),
				this.dropped.sum());
	}

	/**
	 * Ends every subscriber's connection normally.
	 * @return the number of connections ended
	 */
	int closeSubscribers() {
		int closed = 0;
		for (TopicSubscriber subscriber : this.subscribers) {
			subscriber.closeConnection();
			closed++;
		}
		return closed;
	}

	/**
	 * Appends an event, encoded without its id, and wakes the subscribers.
	 * @return the event's id
	 */
	String publish(SseItem<?> item, byte[] frameWithoutId, @Nullable Set<String> users) {
		PublishedEvent event;
		synchronized (this.lock) {
			long sequence = this.lastSequence + 1;
			String id = this.ids.format(sequence);
			event = new PublishedEvent(sequence, id, item.withId(id), withIdLine(id, frameWithoutId), users,
					System.nanoTime());
			this.ring.set(slot(sequence), event);
			this.lastSequence = sequence;
		}
		this.listener.eventPublished(this.name);
		for (TopicSubscriber subscriber : this.subscribers) {
			subscriber.signal();
		}
		return event.id();
	}

	/**
	 * The event with the given sequence, if the ring still holds it.
	 */
	@Nullable PublishedEvent eventAt(long sequence) {
		PublishedEvent event = this.ring.get(slot(sequence));
		return (event != null && event.sequence() == sequence) ? event : null;
	}

	/**
	 * Admits a subscriber that resumes after the given last event id, or starts live.
	 */
	TopicSubscriber subscribe(SseSink sink, @Nullable String lastEventId, @Nullable String user,
			Predicate<? super SseItem<?>> filter) {
		TopicSubscriber subscriber;
		Resumption resumption;
		synchronized (this.lock) {
			resumption = resume(lastEventId);
			subscriber = new TopicSubscriber(this, sink, user, filter, resumption.cursor(), resumption.preamble());
			this.subscribers.add(subscriber);
		}
		if (lastEventId != null) {
			boolean reset = resumption.preamble() != null;
			this.listener.replayed(this.name, reset ? "reset" : "recovered", resumption.replayed());
		}
		sink.onClose(() -> this.subscribers.remove(subscriber));
		subscriber.signal();
		return subscriber;
	}

	void remove(TopicSubscriber subscriber) {
		this.subscribers.remove(subscriber);
	}

	Iterable<TopicSubscriber> subscribers() {
		return this.subscribers;
	}

	private Resumption resume(@Nullable String lastEventId) {
		long last = this.lastSequence;
		if (lastEventId == null) {
			// Tell the client where it stands, so that it resumes exactly if it drops before the first event.
			return new Resumption(last, SseFormatter.format(SseItem.idOnly(this.ids.format(last))), 0);
		}
		long sequence = this.ids.sequenceOf(lastEventId);
		String problem;
		if (sequence == EventIds.FOREIGN) {
			problem = this.ids.isFromAnotherEpoch(lastEventId) ? "other-epoch" : "unknown-id";
		}
		else if (sequence > last) {
			problem = "unknown-id";
		}
		else if (sequence < last && !isReplayable(sequence + 1)) {
			problem = "evicted";
		}
		else {
			return new Resumption(sequence, null, last - sequence);
		}
		SseItem<String> reset = SseItem.of(this.settings.resetEventType(), problem).withId(this.ids.format(last));
		return new Resumption(last, SseFormatter.format(reset), 0);
	}

	/** Whether every event from the given sequence on is still in the ring and young enough. */
	private boolean isReplayable(long fromSequence) {
		if (fromSequence <= this.lastSequence - this.settings.replayCapacity()) {
			return false;
		}
		PublishedEvent oldestWanted = eventAt(fromSequence);
		return oldestWanted != null
				&& System.nanoTime() - oldestWanted.publishedNanos() <= this.settings.replayMaxAge().toNanos();
	}

	private int slot(long sequence) {
		return (int) (sequence % this.ring.length());
	}

	private static byte[] withIdLine(String id, byte[] frameWithoutId) {
		byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[4 + idBytes.length + 1 + frameWithoutId.length];
		frame[0] = 'i';
		frame[1] = 'd';
		frame[2] = ':';
		frame[3] = ' ';
		System.arraycopy(idBytes, 0, frame, 4, idBytes.length);
		frame[4 + idBytes.length] = '\n';
		System.arraycopy(frameWithoutId, 0, frame, 5 + idBytes.length, frameWithoutId.length);
		return frame;
	}

	private record Resumption(long cursor, byte @Nullable [] preamble, long replayed) {
	}

}
