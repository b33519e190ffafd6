package io.github.ssestarter.internal.broadcast;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent.Place;
import io.github.ssestarter.internal.wire.SseFormatter;
import io.micrometer.observation.Observation;
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

	/** Why a subscriber gets a reset event where a shared log lost events. */
	static final String LOST = "lost";

	private final String name;

	private final BroadcastSettings settings;

	private final SseListener listener;

	private final BroadcastObservations observations;

	private final LongAdder delivered = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final AtomicReferenceArray<PublishedEvent> ring;

	private final Set<TopicSubscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	/** The ids this topic gives its events, or {@code null} when a shared log gives them. */
	private final @Nullable EventIds ids;

	/** Subscriptions prepared but not yet admitted; guarded by the lock. */
	private int reservations;

	/** Places held for events whose transactions have not completed, by sequence; guarded by the lock. */
	private final TreeSet<Long> pending = new TreeSet<>();

	/** Places a shared log holds, by the id of the entry that holds them; guarded by the lock. */
	private final Map<String, HeldPlace> heldInLog = new HashMap<>();

	/** Whether the topic was dropped for idleness; guarded by the lock. */
	private boolean retired;

	/** Stops following a shared log, or {@code null}; guarded by the lock until retired. */
	private @Nullable AutoCloseable follow;

	private volatile long lastSequence;

	/** The sequence the topic started after: 0, unless it copies another instance's stream. */
	private volatile long startSequence;

	/** Whether the topic's one source has ended: subscribers end after its last event. */
	private volatile boolean completed;

	/** Told the position each subscriber has written up to, or {@code null}. */
	private volatile @Nullable LongConsumer progressListener;

	/** Id of the newest event, or the topic's starting id while it has none. */
	private volatile String lastId;

	/**
	 * Id of the event just before the oldest one in the ring: the ring holds every event after
	 * it. Written under the lock.
	 */
	private volatile String coveredAfterId;

	/**
	 * @param startId the id the topic starts after: an id sorting before every event of a fresh
	 * topic, or the newest id of a shared log the topic follows
	 */
	Topic(String name, @Nullable EventIds ids, String startId, BroadcastSettings settings, SseListener listener) {
		this(name, ids, startId, settings, listener, BroadcastObservations.NONE);
	}

	/**
	 * @param observations observe each event's delivery to this topic's subscribers
	 */
	Topic(String name, @Nullable EventIds ids, String startId, BroadcastSettings settings, SseListener listener,
			BroadcastObservations observations) {
		this.name = name;
		this.observations = observations;
		this.ids = ids;
		this.lastId = startId;
		this.coveredAfterId = startId;
		this.settings = settings;
		this.listener = listener;
		// Room for the replay window and for the furthest a subscriber may lag.
		this.ring = new AtomicReferenceArray<>(Math.max(settings.replayCapacity(), settings.queueCapacity()) + 1);
	}

	String name() {
		return this.name;
	}

	/**
	 * Makes a topic that holds no event yet start after the given sequence of its ids, as a copy of
	 * another instance's stream does where that stream's log no longer holds its oldest events.
	 */
	void startAfter(long sequence) {
		EventIds eventIds = this.ids;
		if (eventIds == null) {
			throw new IllegalStateException("Topic '" + this.name + "' takes its ids from a shared log");
		}
		synchronized (this.lock) {
			if (this.lastSequence != 0) {
				throw new IllegalStateException("Topic '" + this.name + "' already holds events");
			}
			this.startSequence = sequence;
			this.lastSequence = sequence;
			this.lastId = eventIds.format(sequence);
			this.coveredAfterId = this.lastId;
		}
	}

	BroadcastSettings settings() {
		return this.settings;
	}

	long lastSequence() {
		return this.lastSequence;
	}

	String lastId() {
		return this.lastId;
	}

	int bufferedEventCount() {
		return (int) Math.min(this.lastSequence - this.startSequence, this.ring.length());
	}

	int subscriberCount() {
		return this.subscribers.size();
	}

	SseListener listener() {
		return this.listener;
	}

	/**
	 * Sets what to tell of the position each subscriber has written up to, after each of its
	 * writes; it must not block.
	 */
	void onProgress(LongConsumer listener) {
		this.progressListener = listener;
	}

	/** A subscriber has written, or skipped, every event up to the given sequence. */
	void progressed(long sequence) {
		LongConsumer listener = this.progressListener;
		if (listener != null) {
			listener.accept(sequence);
		}
	}

	/**
	 * Marks the topic's last event: subscribers end their connections once they have written it.
	 * No more events may be published.
	 */
	void complete() {
		this.completed = true;
		signalSubscribers();
	}

	/** Whether the topic has no more events to come; {@link #lastSequence()} is then final. */
	boolean isCompleted() {
		return this.completed;
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
		PublishedEvent oldestEvent = (buffered > 0) ? eventAt(last - buffered + 1) : null;
		String oldest = (oldestEvent != null) ? oldestEvent.id() : null;
		String newest = (last > 0) ? this.lastId : null;
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
	 * Appends an event, encoded without its id, gives it the topic's next id, and wakes the
	 * subscribers.
	 * @param headers the headers it was published with, empty for none
	 * @return the event's id, or {@code null} if the topic was retired and a new one must take it
	 */
	@Nullable String publish(SseItem<?> item, byte[] frameWithoutId, @Nullable Set<String> users,
			Map<String, String> headers) {
		EventIds eventIds = this.ids;
		if (eventIds == null) {
			throw new IllegalStateException("Topic '" + this.name + "' takes its events from a shared log");
		}
		PublishedEvent event;
		synchronized (this.lock) {
			if (this.retired) {
				return null;
			}
			String id = eventIds.format(this.lastSequence + 1);
			event = new PublishedEvent(this.lastSequence + 1, id, item.withId(id), withIdLine(id, frameWithoutId), users,
					System.nanoTime(), headers);
			putLocked(event);
		}
		published(event);
		return event.id();
	}

	/**
	 * Holds the next place for an event whose transaction has not completed: the event gets its id
	 * now, and no subscriber goes past the place until it is {@link #fillPlace filled} or
	 * {@link #discardPlace discarded}.
	 * @return the place's sequence and id, or {@code null} if the topic was retired and a new one
	 * must take it
	 */
	@Nullable PublishedEvent holdPlace() {
		EventIds eventIds = this.ids;
		if (eventIds == null) {
			throw new IllegalStateException("Topic '" + this.name + "' takes its events from a shared log");
		}
		synchronized (this.lock) {
			if (this.retired) {
				return null;
			}
			long sequence = this.lastSequence + 1;
			PublishedEvent place = PublishedEvent.pending(sequence, eventIds.format(sequence));
			putLocked(place);
			this.pending.add(sequence);
			return place;
		}
	}

	/** Puts the event of a held place in it, once its transaction committed, and wakes the subscribers. */
	void fillPlace(PublishedEvent place, SseItem<?> item, byte[] frameWithoutId, @Nullable Set<String> users,
			Map<String, String> headers) {
		PublishedEvent event = new PublishedEvent(place.sequence(), place.id(), item.withId(place.id()),
				withIdLine(place.id(), frameWithoutId), users, System.nanoTime(), headers);
		synchronized (this.lock) {
			if (this.pending.remove(place.sequence()) && eventAt(place.sequence()) == place) {
				this.ring.set(slot(place.sequence()), event);
			}
		}
		published(event);
	}

	/** Leaves a held place empty, once its transaction rolled back, and wakes the subscribers. */
	void discardPlace(PublishedEvent place) {
		synchronized (this.lock) {
			if (this.pending.remove(place.sequence()) && eventAt(place.sequence()) == place) {
				this.ring.set(slot(place.sequence()),
						PublishedEvent.discarded(place.sequence(), place.id(), place.publishedNanos()));
			}
		}
		signalSubscribers();
	}

	/**
	 * Appends events that a shared log already gave their ids, in the log's order, and wakes the
	 * subscribers. Publications were counted where they were made. An entry that holds a place for
	 * an event published inside a transaction holds back subscribers, as {@link #holdPlace} does,
	 * until an entry fills or empties it or its deadline passes ({@link #discardExpiredPlaces}).
	 * @param events the events, each with the nanosecond time it was published at
	 * @param live whether they are delivered now, as opposed to a backlog read for replay: only
	 * live events are observed as deliveries
	 */
	void appendFromLog(List<LogEvent> events, boolean live) {
		// Kept for the observations, which are started outside the lock: their handlers are not ours.
		PublishedEvent @Nullable [] observed = (live && this.observations.enabled())
				? new PublishedEvent[events.size()] : null;
		synchronized (this.lock) {
			if (this.retired) {
				return;
			}
			for (int i = 0; i < events.size(); i++) {
				PublishedEvent event = takeLocked(events.get(i));
				if (observed != null) {
					observed[i] = event;
				}
			}
		}
		if (observed == null) {
			// Once per batch: a subscriber's writer takes every event appended since it last ran.
			signalSubscribers();
			return;
		}
		int subscriberCount = this.subscribers.size();
		@Nullable Observation[] deliveries = new Observation[observed.length];
		for (int i = 0; i < observed.length; i++) {
			PublishedEvent event = observed[i];
			deliveries[i] = (event != null) ? this.observations.startDelivery(this.name, event, subscriberCount) : null;
		}
		signalSubscribers();
		for (Observation delivery : deliveries) {
			if (delivery != null) {
				delivery.stop();
			}
		}
	}

	/**
	 * Puts one entry of a shared log in the ring: an event at the next place, a place held for an
	 * event whose transaction has not completed, or that event in the place held for it.
	 * @return the event to observe as delivered, if any
	 */
	private @Nullable PublishedEvent takeLocked(LogEvent logged) {
		Place place = logged.place();
		if (place == null) {
			PublishedEvent event = new PublishedEvent(this.lastSequence + 1, logged.id(),
					logged.item().withId(logged.id()), withIdLine(logged.id(), logged.frameWithoutId()), logged.users(),
					logged.publishedNanos(), logged.headers());
			putLocked(event);
			return event;
		}
		if (place.kind() == Place.Kind.HELD) {
			long sequence = this.lastSequence + 1;
			putLocked(PublishedEvent.pending(sequence, logged.id()));
			this.pending.add(sequence);
			Duration left = Duration.between(Instant.now(), place.until());
			this.heldInLog.put(logged.id(), new HeldPlace(sequence, System.nanoTime() + left.toNanos()));
			return null;
		}
		String heldId = place.heldId();
		HeldPlace held = (heldId != null) ? this.heldInLog.remove(heldId) : null;
		if (held == null || !this.pending.remove(held.sequence())) {
			// A place this topic never held (older than what it read of the log) or gave up waiting for.
			return null;
		}
		PublishedEvent current = eventAt(held.sequence());
		if (current == null || !current.isPending()) {
			return null;
		}
		if (place.kind() == Place.Kind.DISCARDED) {
			this.ring.set(slot(held.sequence()), PublishedEvent.discarded(held.sequence(), heldId, logged.publishedNanos()));
			return null;
		}
		PublishedEvent event = new PublishedEvent(held.sequence(), heldId, logged.item().withId(heldId),
				withIdLine(heldId, logged.frameWithoutId()), logged.users(), logged.publishedNanos(), logged.headers());
		this.ring.set(slot(held.sequence()), event);
		return event;
	}

	/**
	 * Leaves empty the places a shared log held whose deadline has passed, as if their transactions
	 * had rolled back, so that later events flow again.
	 * @return how many places were left empty
	 */
	int discardExpiredPlaces(long nowNanos) {
		int discarded = 0;
		synchronized (this.lock) {
			for (Iterator<Map.Entry<String, HeldPlace>> places = this.heldInLog.entrySet().iterator(); places
				.hasNext();) {
				Map.Entry<String, HeldPlace> place = places.next();
				HeldPlace held = place.getValue();
				if (nowNanos - held.deadlineNanos() < 0) {
					continue;
				}
				places.remove();
				PublishedEvent current = eventAt(held.sequence());
				if (this.pending.remove(held.sequence()) && current != null && current.isPending()) {
					this.ring.set(slot(held.sequence()), PublishedEvent.discarded(held.sequence(), place.getKey(), nowNanos));
					discarded++;
				}
			}
		}
		if (discarded > 0) {
			signalSubscribers();
		}
		return discarded;
	}

	/**
	 * Marks where a shared log lost events this topic never got: every subscriber that reaches the
	 * mark gets a reset event, as does a client that resumes from before it.
	 * @param id an id at or after every lost event and at or after the topic's newest id
	 */
	void appendGap(String id) {
		byte[] frame = SseFormatter.format(SseItem.of(this.settings.resetEventType(), LOST).withId(id));
		synchronized (this.lock) {
			if (this.retired) {
				return;
			}
			putLocked(PublishedEvent.reset(this.lastSequence + 1, id, frame, System.nanoTime()));
		}
		signalSubscribers();
	}

	/**
	 * Gives the topic what stops its following of a shared log, closed when the topic retires
	 * (at once if it already has).
	 */
	void attachFollow(AutoCloseable follow) {
		synchronized (this.lock) {
			if (!this.retired) {
				this.follow = follow;
				return;
			}
		}
		closeQuietly(follow);
	}

	/**
	 * Retires the topic whatever it holds, as a stopping broadcaster does with topics it can no
	 * longer keep up to date.
	 */
	void retire() {
		AutoCloseable follow;
		synchronized (this.lock) {
			this.retired = true;
			follow = this.follow;
			this.follow = null;
		}
		if (follow != null) {
			closeQuietly(follow);
		}
	}

	private static void closeQuietly(AutoCloseable follow) {
		try {
			follow.close();
		}
		catch (Exception ex) {
			// The follow is being dropped either way.
		}
	}

	private void putLocked(PublishedEvent event) {
		int slot = slot(event.sequence());
		PublishedEvent evicted = this.ring.get(slot);
		if (evicted != null) {
			this.coveredAfterId = evicted.id();
			// A place evicted while still held will never be filled: nobody waits for it any more.
			this.pending.remove(evicted.sequence());
		}
		this.ring.set(slot, event);
		this.lastId = event.id();
		this.lastSequence = event.sequence();
	}

	private void published(PublishedEvent event) {
		this.listener.eventPublished(this.name);
		// Nothing is allocated for the observation unless something observes.
		Observation delivery = this.observations.enabled()
				? this.observations.startDelivery(this.name, event, this.subscribers.size()) : null;
		signalSubscribers();
		if (delivery != null) {
			delivery.stop();
		}
	}

	private void signalSubscribers() {
		for (TopicSubscriber subscriber : this.subscribers) {
			subscriber.signal();
		}
	}

	/**
	 * The event with the given sequence, if the ring still holds it.
	 */
	@Nullable PublishedEvent eventAt(long sequence) {
		PublishedEvent event = this.ring.get(slot(sequence));
		return (event != null && event.sequence() == sequence) ? event : null;
	}

	/**
	 * Holds the topic for a subscription about to be admitted, so that it is not retired
	 * meanwhile.
	 * @return {@code false} if the topic was retired and a new one must take the subscription
	 */
	boolean reserve() {
		synchronized (this.lock) {
			if (this.retired) {
				return false;
			}
			this.reservations++;
			return true;
		}
	}

	/** Gives back a reservation that will not be used. */
	void release() {
		synchronized (this.lock) {
			this.reservations--;
		}
	}

	/**
	 * Retires the topic if nobody uses it: no subscriber, none about to join, and nothing left to
	 * replay (its newest event is older than the replay age). A retired topic takes no more events
	 * or subscribers.
	 * @return whether it was retired
	 */
	boolean retireIfIdle() {
		AutoCloseable follow;
		synchronized (this.lock) {
			if (!this.subscribers.isEmpty() || this.reservations > 0 || !this.pending.isEmpty()) {
				return false;
			}
			PublishedEvent newest = eventAt(this.lastSequence);
			if (newest != null
					&& System.nanoTime() - newest.publishedNanos() <= this.settings.replayMaxAge().toNanos()) {
				return false;
			}
			this.retired = true;
			follow = this.follow;
			this.follow = null;
		}
		if (follow != null) {
			closeQuietly(follow);
		}
		return true;
	}

	/** The ids this topic gives its events, or {@code null} when a shared log gives them. */
	@Nullable EventIds ids() {
		return this.ids;
	}

	/**
	 * Admits a subscriber where the resumer places it: the resumer runs under the lock that
	 * appends take, so no event can slip between what it replays and what follows live.
	 * @param lastEventId the id the client resumes after, or {@code null}
	 */
	TopicSubscriber subscribe(SseSink sink, @Nullable String lastEventId, @Nullable String user,
			Predicate<? super SseItem<?>> filter, Resumer resumer) {
		TopicSubscriber subscriber;
		Resumption resumption;
		synchronized (this.lock) {
			this.reservations--;
			resumption = resumer.resume(new LockedView());
			subscriber = new TopicSubscriber(this, sink, user, resumption.filter(filter), resumption.cursor(),
					resumption.preamble());
			this.subscribers.add(subscriber);
		}
		if (lastEventId != null) {
			this.listener.replayed(this.name, resumption.reset() ? "reset" : "recovered", resumption.replayed());
		}
		sink.onClose(() -> this.subscribers.remove(subscriber));
		sink.onWritable(subscriber::signal);
		subscriber.signal();
		return subscriber;
	}

	void remove(TopicSubscriber subscriber) {
		this.subscribers.remove(subscriber);
	}

	Iterable<TopicSubscriber> subscribers() {
		return this.subscribers;
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

	/** Places a new subscriber in the topic, under the topic's lock. */
	@FunctionalInterface
	interface Resumer {

		Resumption resume(LockedView topic);

	}

	/**
	 * The topic as a resumer sees it: consistent, since nothing is appended meanwhile.
	 */
	final class LockedView {

		BroadcastSettings settings() {
			return Topic.this.settings;
		}

		long lastSequence() {
			return Topic.this.lastSequence;
		}

		String lastId() {
			return Topic.this.lastId;
		}

		/** The ring holds every event after this id. */
		String coveredAfterId() {
			return Topic.this.coveredAfterId;
		}

		/**
		 * Where a client that sent no id starts: after the newest event, or just before the oldest
		 * place still held for a transaction, whose event it must not miss.
		 */
		long liveCursor() {
			return Topic.this.pending.isEmpty() ? Topic.this.lastSequence : Topic.this.pending.first() - 1;
		}

		/** The id of the event at a sequence, or, if the ring no longer holds it, the id the ring starts after. */
		String idAt(long sequence) {
			if (sequence == Topic.this.lastSequence) {
				return Topic.this.lastId;
			}
			PublishedEvent event = Topic.this.eventAt(sequence);
			return (event != null) ? event.id() : Topic.this.coveredAfterId;
		}

		@Nullable PublishedEvent eventAt(long sequence) {
			return Topic.this.eventAt(sequence);
		}

		/**
		 * The sequence of the newest event whose id sorts at or before the given one, or the
		 * sequence before the oldest held event if none does.
		 */
		long sequenceAtOrBefore(String id, Comparator<String> order) {
			// Ids grow with sequences, so a binary search: the lock is held meanwhile.
			long low = Topic.this.lastSequence - bufferedEventCount() + 1;
			long high = Topic.this.lastSequence;
			long found = low - 1;
			while (low <= high) {
				long middle = (low + high) >>> 1;
				PublishedEvent event = eventAt(middle);
				if (event == null || order.compare(event.id(), id) <= 0) {
					found = middle;
					low = middle + 1;
				}
				else {
					high = middle - 1;
				}
			}
			return found;
		}

	}

	/**
	 * An event read from a shared log, ready for the ring.
	 * @param publishedNanos when it was published, on this process's {@link System#nanoTime} scale
	 * @param headers the headers it was published with, empty for none
	 */
	record LogEvent(String id, SseItem<?> item, byte[] frameWithoutId, @Nullable Set<String> users,
			long publishedNanos, Map<String, String> headers, @Nullable Place place) {

		LogEvent(String id, SseItem<?> item, byte[] frameWithoutId, @Nullable Set<String> users, long publishedNanos,
				Map<String, String> headers) {
			this(id, item, frameWithoutId, users, publishedNanos, headers, null);
		}

	}

	/** A place a shared log holds: where it is in the ring, and until when it is waited for. */
	private record HeldPlace(long sequence, long deadlineNanos) {
	}

}
