package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import io.github.ssestarter.observation.SseDeliveryObservationConvention;
import io.github.ssestarter.observation.SsePublishObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The broadcaster. Each topic holds a ring of its most recent events that serves both as the
 * replay buffer and as every subscriber's queue.
 *
 * <p>Without a backplane, topics live in this process only and ids carry the broadcaster's epoch.
 * With an {@link SseBackplane}, published events are appended to the shared log, which gives them
 * their ids; a topic that has subscribers here starts from the log's newest events and follows
 * the log, so that events published on any instance reach them and its ring replays what the log
 * holds. Events the log lost before this instance got them reach subscribers as a reset event.
 *
 * <p>Given an {@link #setObservationRegistry ObservationRegistry}, each publication is observed as a
 * sender whose trace context travels with the event (through the backplane too), and each instance
 * observes the event reaching its subscribers as a receiver of that context, once per event however
 * many subscribers there are.
 */
public final class DefaultSseBroadcaster implements SseBroadcaster {

	/** Longest a stopping application waits for subscribers to receive what was published. */
	private static final Duration DELIVERY_GRACE = Duration.ofSeconds(2);

	private final @Nullable SseBackplane backplane;

	private final TopicRegistry topics;

	private final TopicPublisher publisher;

	private final TopicSweeper sweeper;

	private final TopicAdministration administration;

	private volatile boolean running;

	/** With a backplane, how long every instance waits for the transaction of an event published inside one. */
	private volatile Duration afterCommitTimeout = Duration.ofMinutes(1);

	private final SseBroadcaster immediate = new ImmediateBroadcaster();

	/** Replaced as a whole by the setters, which are called before the broadcaster is used. */
	private volatile BroadcastObservations observations;

	/**
	 * Creates a broadcaster whose ids carry a fresh epoch and that tells a listener what its
	 * topics do.
	 * @param encoder encodes each published event once
	 * @param settings buffering and delivery settings
	 * @param listener told of publications, deliveries, drops and replays
	 */
	public DefaultSseBroadcaster(SseFrameEncoder encoder, BroadcastSettings settings, SseListener listener) {
		this(encoder, settings, listener, Optional.empty());
	}

	/**
	 * Creates a broadcaster whose topics are shared with other instances through a backplane.
	 * @param encoder encodes each event once per instance
	 * @param settings buffering and delivery settings
	 * @param listener told of publications, deliveries, drops and replays
	 * @param backplane the shared log
	 */
	public DefaultSseBroadcaster(SseFrameEncoder encoder, BroadcastSettings settings, SseListener listener,
			SseBackplane backplane) {
		this(encoder, settings, listener, Optional.of(backplane));
	}

	private DefaultSseBroadcaster(SseFrameEncoder encoder, BroadcastSettings settings, SseListener listener,
			Optional<SseBackplane> backplane) {
		Objects.requireNonNull(listener, "listener must not be null");
		this.backplane = backplane.orElse(null);
		this.observations = new BroadcastObservations(ObservationRegistry.NOOP, null, null,
				BroadcastObservations.backplaneName(this.backplane));
		TopicFollower follower = (this.backplane != null)
				? new TopicFollower(this.backplane, encoder, settings, listener) : null;
		this.topics = new TopicRegistry(settings, listener, follower, () -> this.observations);
		this.publisher = new TopicPublisher(encoder, listener, this.topics, this.backplane, () -> this.observations,
				() -> this.afterCommitTimeout);
		this.sweeper = new TopicSweeper(this.topics, settings, this.backplane != null, () -> this.afterCommitTimeout);
		this.administration = new TopicAdministration(this.topics);
	}

	/**
	 * Sets, for a backplane, how long an event published inside a transaction holds back its topic
	 * on every instance: if the transaction has not completed by then (its instance died, say), the
	 * event is given up and later events flow again. One minute by default.
	 * @param timeout the time, positive
	 */
	public void setAfterCommitTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, was " + timeout);
		}
		this.afterCommitTimeout = timeout;
	}

	/**
	 * Sets the registry that observes publications and deliveries; none by default. Must be
	 * called before the broadcaster is used.
	 * @param registry the registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		Objects.requireNonNull(registry, "registry must not be null");
		this.observations = this.observations.withRegistry(registry);
	}

	/**
	 * Sets the convention that names publications' observations and gives their key values,
	 * instead of {@link io.github.ssestarter.observation.DefaultSsePublishObservationConvention}.
	 * Must be called before the broadcaster is used.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setPublishObservationConvention(@Nullable SsePublishObservationConvention convention) {
		this.observations = this.observations.withPublishConvention(convention);
	}

	/**
	 * Sets the convention that names deliveries' observations and gives their key values, instead
	 * of {@link io.github.ssestarter.observation.DefaultSseDeliveryObservationConvention}. Must be
	 * called before the broadcaster is used.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setDeliveryObservationConvention(@Nullable SseDeliveryObservationConvention convention) {
		this.observations = this.observations.withDeliveryConvention(convention);
	}

	/**
	 * The backplane's state, or {@code null} when topics live in this process only.
	 * @return the state
	 */
	public @Nullable Map<String, Object> backplaneState() {
		return (this.backplane != null) ? this.backplane.state() : null;
	}

	/**
	 * Number of clients subscribed to a topic now.
	 * @param topic the topic
	 * @return the count, 0 for a topic nobody has used
	 */
	public int subscriberCount(String topic) {
		return this.administration.subscriberCount(topic);
	}

	/**
	 * Number of events a topic holds now, for replay and for subscribers that are behind; never
	 * more than the larger of the replay capacity and the queue capacity, plus one.
	 * @param topic the topic
	 * @return the count, 0 for a topic nobody has used
	 */
	public int bufferedEventCount(String topic) {
		return this.administration.bufferedEventCount(topic);
	}

	/**
	 * The names of the topics used so far, sorted.
	 * @return the names
	 */
	public List<String> topicNames() {
		return this.administration.topicNames();
	}

	/**
	 * A topic's state and counts now.
	 * @param topic the topic
	 * @return the snapshot, or {@code null} for a topic nobody has used
	 */
	public @Nullable TopicSnapshot snapshot(String topic) {
		return this.administration.snapshot(topic);
	}

	/**
	 * Ends the connection of every client subscribed to a topic now, normally: clients that
	 * reconnect with their last event id are replayed what they missed, as far as the buffer
	 * reaches.
	 * @param topic the topic
	 * @return the number of connections ended, 0 for a topic nobody has used
	 */
	public int closeSubscribers(String topic) {
		return this.administration.closeSubscribers(topic);
	}

	@Override
	public String publish(String topic, Object data) {
		return this.publisher.publish(topic, item(data), null, true);
	}

	@Override
	public String publish(String topic, SseItem<?> item) {
		return this.publisher.publish(topic, item, null, true);
	}

	@Override
	public String publishToUsers(String topic, Collection<String> users, SseItem<?> item) {
		return this.publisher.publish(topic, item, audience(users), true);
	}

	@Override
	public CompletableFuture<String> publishAsync(String topic, SseItem<?> item) {
		return publishAsync(topic, item, true);
	}

	private CompletableFuture<String> publishAsync(String topic, SseItem<?> item, boolean afterCommit) {
		SseBackplane log = this.backplane;
		if (log == null) {
			// In memory a publication is immediate anyway; the immediate broadcaster's must not wait
			// for a commit either.
			try {
				return CompletableFuture.completedFuture(this.publisher.publish(topic, item, null, afterCommit));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		return this.publisher.publishAsync(log, topic, item, afterCommit);
	}

	@Override
	public SseBroadcaster immediate() {
		return this.immediate;
	}

	private static SseItem<?> item(Object data) {
		Objects.requireNonNull(data, "data must not be null");
		return (data instanceof SseItem<?> item) ? item : SseItem.of(data);
	}

	private static Set<String> audience(Collection<String> users) {
		Objects.requireNonNull(users, "users must not be null");
		if (users.isEmpty()) {
			throw new IllegalArgumentException("users must not be empty; use publish to reach everyone");
		}
		Set<String> audience = new LinkedHashSet<>();
		for (String user : users) {
			Objects.requireNonNull(user, "users must not contain null");
			// A control character could pass for a separator where the audience is stored (Redis).
			if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
				throw new IllegalArgumentException("user '" + user.replaceAll("\\p{Cntrl}", "?")
						+ "' is empty or holds a control character");
			}
			audience.add(user);
		}
		return Collections.unmodifiableSet(audience);
	}

	@Override
	public SseSubscription subscribe(String topic) {
		return subscribe(topic, (item) -> true);
	}

	@Override
	public SseSubscription subscribe(String topic, Predicate<? super SseItem<?>> filter) {
		Objects.requireNonNull(filter, "filter must not be null");
		TopicRegistry.checkName(topic);
		return new TopicSubscription(this, topic, filter);
	}

	/**
	 * Reserves the topic for a subscription and does now what resuming the client needs from a
	 * shared log, for {@link TopicSubscription#prepare}.
	 */
	PreparedSubscription prepare(String name, @Nullable String lastEventId, @Nullable String user,
			Predicate<? super SseItem<?>> filter) {
		Topic topic = this.topics.reserve(name);
		SseBackplane log = this.backplane;
		EventIds topicIds = topic.ids();
		Topic.Resumer resumer;
		try {
			if (log != null) {
				resumer = BackplaneReplay.prepare(log, lastEventId, topic);
			}
			else {
				Objects.requireNonNull(topicIds, "a topic in memory gives its own ids");
				resumer = (view) -> MemoryReplay.resume(view, topicIds, lastEventId);
			}
		}
		catch (RuntimeException ex) {
			topic.release();
			throw ex;
		}
		return new PreparedSubscription((sink) -> topic.subscribe(sink, lastEventId, user, filter, resumer),
				topic::release);
	}

	/**
	 * Starts retiring idle topics: a topic without subscribers whose newest event is older than
	 * the replay age is dropped, with its buffer (and, with a backplane, its follow); it is created
	 * afresh, with a new epoch in its ids, when used again.
	 */
	public void start() {
		this.running = true;
		this.sweeper.start();
	}

	/** Retires the idle topics now rather than at the sweeper's next round. */
	void retireIdleTopics() {
		this.topics.retireIdle();
	}

	/**
	 * Gives subscribers a short grace to receive what was published before the application
	 * stopped; the streams themselves are ended after this, by the web integration. With a
	 * backplane, topics are then dropped with their follows: started again, the broadcaster
	 * creates them afresh from the shared log.
	 */
	public void stop() {
		this.running = false;
		this.sweeper.stop();
		long deadline = System.nanoTime() + DELIVERY_GRACE.toNanos();
		for (Topic topic : this.topics.all()) {
			for (TopicSubscriber subscriber : topic.subscribers()) {
				while (!subscriber.isDone() && System.nanoTime() < deadline) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
			}
		}
		if (this.backplane != null) {
			this.topics.retireAll();
		}
	}

	/**
	 * Whether the broadcaster was started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/** Publishes at once, inside a transaction too; shares the broadcaster's topics. */
	private final class ImmediateBroadcaster implements SseBroadcaster {

		@Override
		public String publish(String topic, Object data) {
			return DefaultSseBroadcaster.this.publisher.publish(topic, item(data), null, false);
		}

		@Override
		public String publish(String topic, SseItem<?> item) {
			return DefaultSseBroadcaster.this.publisher.publish(topic, item, null, false);
		}

		@Override
		public String publishToUsers(String topic, Collection<String> users, SseItem<?> item) {
			return DefaultSseBroadcaster.this.publisher.publish(topic, item, audience(users), false);
		}

		@Override
		public CompletableFuture<String> publishAsync(String topic, SseItem<?> item) {
			return DefaultSseBroadcaster.this.publishAsync(topic, item, false);
		}

		@Override
		public SseSubscription subscribe(String topic) {
			return DefaultSseBroadcaster.this.subscribe(topic);
		}

		@Override
		public SseSubscription subscribe(String topic, Predicate<? super SseItem<?>> filter) {
			return DefaultSseBroadcaster.this.subscribe(topic, filter);
		}

		@Override
		public SseBroadcaster immediate() {
			return this;
		}

	}

}
