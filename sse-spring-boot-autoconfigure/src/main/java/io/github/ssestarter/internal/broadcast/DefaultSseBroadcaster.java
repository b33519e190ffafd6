package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseSubscription;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import io.github.ssestarter.observation.SseDeliveryObservationConvention;
import io.github.ssestarter.observation.SsePublishObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.InvalidTopicException;
import org.springframework.util.ClassUtils;

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

	private static final Log logger = LogFactory.getLog(DefaultSseBroadcaster.class);

	/** Longest a stopping application waits for subscribers to receive what was published. */
	private static final Duration DELIVERY_GRACE = Duration.ofSeconds(2);

	private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");

	private final SseFrameEncoder encoder;

	private final BroadcastSettings settings;

	private final EventIds ids;

	private final SseListener listener;

	private final @Nullable SseBackplane backplane;

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** Topics being created from a shared log's backlog, so that a topic's backlog is read once. */
	private final Map<String, CompletableFuture<Topic>> creating = new ConcurrentHashMap<>();

	/** Counts topic creations, so that a topic created again gets a new epoch in its ids. */
	private final AtomicLong incarnations = new AtomicLong();

	private volatile boolean running;

	/** Whether Spring's transaction support is there to defer publications to the commit. */
	private final boolean transactions = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			DefaultSseBroadcaster.class.getClassLoader());

	/** With a backplane, how long every instance waits for the transaction of an event published inside one. */
	private volatile Duration afterCommitTimeout = Duration.ofMinutes(1);

	private final SseBroadcaster immediate = new ImmediateBroadcaster();

	private @Nullable ScheduledExecutorService sweeper;

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
		this.encoder = encoder;
		this.settings = settings;
		this.ids = EventIds.startingNow();
		this.backplane = backplane.orElse(null);
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		this.observations = new BroadcastObservations(ObservationRegistry.NOOP, null, null,
				BroadcastObservations.backplaneName(this.backplane));
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
		Topic existing = this.topics.get(topic);
		return (existing != null) ? existing.subscriberCount() : 0;
	}

	/**
	 * Number of events a topic holds now, for replay and for subscribers that are behind; never
	 * more than the larger of the replay capacity and the queue capacity, plus one.
	 * @param topic the topic
	 * @return the count, 0 for a topic nobody has used
	 */
	public int bufferedEventCount(String topic) {
		Topic existing = this.topics.get(topic);
		return (existing != null) ? existing.bufferedEventCount() : 0;
	}

	/**
	 * The names of the topics used so far, sorted.
	 * @return the names
	 */
	public List<String> topicNames() {
		return this.topics.keySet().stream().sorted().toList();
	}

	/**
	 * A topic's state and counts now.
	 * @param topic the topic
	 * @return the snapshot, or {@code null} for a topic nobody has used
	 */
	public @Nullable TopicSnapshot snapshot(String topic) {
		Topic existing = this.topics.get(topic);
		return (existing != null) ? existing.snapshot() : null;
	}

	/**
	 * Ends the connection of every client subscribed to a topic now, normally: clients that
	 * reconnect with their last event id are replayed what they missed, as far as the buffer
	 * reaches.
	 * @param topic the topic
	 * @return the number of connections ended, 0 for a topic nobody has used
	 */
	public int closeSubscribers(String topic) {
		Topic existing = this.topics.get(topic);
		return (existing != null) ? existing.closeSubscribers() : 0;
	}

	@Override
	public String publish(String topic, Object data) {
		return publish(topic, item(data), null, true);
	}

	@Override
	public String publish(String topic, SseItem<?> item) {
		return publish(topic, item, null, true);
	}

	@Override
	public String publishToUsers(String topic, Collection<String> users, SseItem<?> item) {
		return publish(topic, item, audience(users), true);
	}

	@Override
	public CompletableFuture<String> publishAsync(String topic, SseItem<?> item) {
		return publishAsync(topic, item, true);
	}

	private CompletableFuture<String> publishAsync(String topic, SseItem<?> item, boolean afterCommit) {
		SseBackplane log = this.backplane;
		if (log == null) {
			return SseBroadcaster.super.publishAsync(topic, item);
		}
		try {
			BroadcastObservations observing = this.observations;
			if (!observing.enabled()) {
				return append(log, topic, item, null, afterCommit, Map.of());
			}
			return observing.publishAsync(topic, false,
					(headers) -> append(log, topic, item, null, afterCommit, headers));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Appends to the shared log, which gives the id; the event reaches this instance's subscribers
	 * through the follow, as other instances' do.
	 */
	private CompletableFuture<String> append(SseBackplane log, String topic, SseItem<?> item,
			@Nullable Set<String> users, boolean afterCommit, Map<String, String> headers) {
		checkItem(item);
		checkName(topic);
		SseItem<String> encoded = item.withData(this.encoder.encodeData(item.data()));
		SseBackplaneEvent event = new SseBackplaneEvent(null, encoded.eventType(), encoded.data(), encoded.retry(),
				encoded.comment(), users, headers);
		if (afterCommit && this.transactions && AfterCommit.inTransaction()) {
			return AfterCommit.append(log, topic, event, Instant.now().plus(this.afterCommitTimeout),
					() -> this.listener.eventPublished(topic));
		}
		return log.appendAsync(topic, event)
			.thenApply((id) -> {
				// Counted once, where it was published, not by each instance that receives it.
				this.listener.eventPublished(topic);
				return id;
			});
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
		checkName(topic);
		return new TopicSubscription(this, topic, filter);
	}

	PreparedSubscription prepare(String name, @Nullable String lastEventId, @Nullable String user,
			Predicate<? super SseItem<?>> filter) {
		Topic topic = topic(name);
		while (!topic.reserve()) {
			topic = topic(name);
		}
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
		Topic reserved = topic;
		return new PreparedSubscription((sink) -> reserved.subscribe(sink, lastEventId, user, filter, resumer),
				reserved::release);
	}

	/**
	 * Starts retiring idle topics: a topic without subscribers whose newest event is older than
	 * the replay age is dropped, with its buffer (and, with a backplane, its follow); it is created
	 * afresh, with a new epoch in its ids, when used again.
	 */
	public void start() {
		this.running = true;
		long periodMillis = Math.max(100, Math.min(60_000, this.settings.replayMaxAge().toMillis() / 2));
		ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "sse-topics");
			thread.setDaemon(true);
			thread.setContextClassLoader(DefaultSseBroadcaster.class.getClassLoader());
			return thread;
		});
		sweep.scheduleWithFixedDelay(this::retireIdleTopics, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
		if (this.backplane != null) {
			sweep.scheduleWithFixedDelay(this::discardExpiredPlaces, 1, 1, TimeUnit.SECONDS);
		}
		this.sweeper = sweep;
	}

	/** Gives up the events whose transactions did not complete in time, so that their topics flow again. */
	private void discardExpiredPlaces() {
		long now = System.nanoTime();
		for (Topic topic : this.topics.values()) {
			int discarded = topic.discardExpiredPlaces(now);
			if (discarded > 0) {
				logger.warn(discarded + " event(s) published inside a transaction on topic '" + topic.name()
						+ "' were given up: the transaction did not complete within " + this.afterCommitTimeout);
			}
		}
	}

	void retireIdleTopics() {
		for (Map.Entry<String, Topic> entry : this.topics.entrySet()) {
			Topic topic = entry.getValue();
			if (topic.retireIfIdle()) {
				this.topics.remove(entry.getKey(), topic);
				this.listener.topicRetired(entry.getKey());
			}
		}
	}

	/**
	 * Gives subscribers a short grace to receive what was published before the application
	 * stopped; the streams themselves are ended after this, by the web integration. With a
	 * backplane, topics are then dropped with their follows: started again, the broadcaster
	 * creates them afresh from the shared log.
	 */
	public void stop() {
		this.running = false;
		ScheduledExecutorService sweep = this.sweeper;
		if (sweep != null) {
			sweep.shutdownNow();
		}
		long deadline = System.nanoTime() + DELIVERY_GRACE.toNanos();
		for (Topic topic : this.topics.values()) {
			for (TopicSubscriber subscriber : topic.subscribers()) {
				while (!subscriber.isDone() && System.nanoTime() < deadline) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
			}
		}
		if (this.backplane != null) {
			for (Map.Entry<String, Topic> entry : this.topics.entrySet()) {
				entry.getValue().retire();
				this.topics.remove(entry.getKey(), entry.getValue());
			}
		}
	}

	/**
	 * Whether the broadcaster was started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @param afterCommit whether an event published inside a transaction waits for it to commit
	 */
	private String publish(String topic, SseItem<?> item, @Nullable Set<String> users, boolean afterCommit) {
		BroadcastObservations observing = this.observations;
		if (!observing.enabled()) {
			return publish(topic, item, users, afterCommit, Map.of());
		}
		return observing.publish(topic, users != null,
				(headers) -> publish(topic, item, users, afterCommit, headers));
	}

	/**
	 * @param headers the headers the event carries to its deliveries, here and on other instances
	 */
	private String publish(String topic, SseItem<?> item, @Nullable Set<String> users, boolean afterCommit,
			Map<String, String> headers) {
		checkItem(item);
		SseBackplane log = this.backplane;
		if (log != null) {
			try {
				return append(log, topic, item, users, afterCommit, headers).join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		boolean inTransaction = afterCommit && this.transactions && AfterCommit.inTransaction();
		// Encoded once, outside the topic's lock; the id line is put in front when the id is known.
		byte[] frameWithoutId = this.encoder.encode(item);
		if (inTransaction) {
			return AfterCommit.publish(() -> topic(topic), item, frameWithoutId, users, headers);
		}
		while (true) {
			String id = topic(topic).publish(item, frameWithoutId, users, headers);
			if (id != null) {
				return id;
			}
		}
	}

	private Topic topic(String name) {
		Objects.requireNonNull(name, "topic must not be null");
		Topic topic = this.topics.get(name);
		if (topic != null) {
			return topic;
		}
		checkName(name);
		SseBackplane log = this.backplane;
		if (log == null) {
			return this.topics.computeIfAbsent(name, (key) -> {
				EventIds topicIds = this.ids.incarnation(this.incarnations.getAndIncrement());
				return new Topic(key, topicIds, topicIds.format(0), this.settings, this.listener, this.observations);
			});
		}
		return fromLog(name, log);
	}

	/**
	 * Creates a topic from a shared log's backlog, read once however many requests want the topic
	 * at the same time, and follows the log after it.
	 */
	private Topic fromLog(String name, SseBackplane log) {
		CompletableFuture<Topic> mine = new CompletableFuture<>();
		CompletableFuture<Topic> theirs = this.creating.putIfAbsent(name, mine);
		if (theirs != null) {
			try {
				return theirs.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		try {
			Topic existing = this.topics.get(name);
			if (existing != null) {
				mine.complete(existing);
				return existing;
			}
			int ringCapacity = Math.max(this.settings.replayCapacity(), this.settings.queueCapacity());
			SseBackplane.Backlog backlog = log.backlog(name, ringCapacity);
			Topic created = new Topic(name, null, backlog.after(), this.settings, this.listener, this.observations);
			created.appendFromLog(toLogEvents(backlog.events(), log), false);
			created.attachFollow(log.follow(name, backlog.newestId(), new TopicFollower(created, log)));
			this.topics.put(name, created);
			mine.complete(created);
			return created;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.creating.remove(name, mine);
		}
	}

	private List<Topic.LogEvent> toLogEvents(List<SseBackplaneEvent> events, SseBackplane log) {
		List<Topic.LogEvent> ready = new ArrayList<>(events.size());
		long nowNanos = System.nanoTime();
		long nowMillis = System.currentTimeMillis();
		for (SseBackplaneEvent event : events) {
			SseItem<String> item = event.toItem().withId(null);
			long ageNanos = Math.max(0, nowMillis - log.timeOf(event.id()).toEpochMilli()) * 1_000_000;
			ready.add(new Topic.LogEvent(event.id(), item, this.encoder.encode(item), event.users(), nowNanos - ageNanos,
					event.headers(), event.place()));
		}
		return ready;
	}

	private static void checkItem(SseItem<?> item) {
		Objects.requireNonNull(item, "item must not be null");
		if (item.id() != null) {
			throw new IllegalArgumentException("item has id '" + item.id() + "', but the broadcaster assigns ids");
		}
	}

	private static void checkName(String name) {
		Objects.requireNonNull(name, "topic must not be null");
		if (!TOPIC_NAME.matcher(name).matches()) {
			throw new InvalidTopicException(name);
		}
	}

	/** Puts what a shared log delivers for a topic into the topic's ring. */
	private final class TopicFollower implements SseBackplane.Follower {

		private final Topic topic;

		private final SseBackplane log;

		TopicFollower(Topic topic, SseBackplane log) {
			this.topic = topic;
			this.log = log;
		}

		@Override
		public void events(List<SseBackplaneEvent> events) {
			this.topic.appendFromLog(toLogEvents(events, this.log), true);
		}

		@Override
		public void gap(String lastMissingId) {
			String newest = this.topic.lastId();
			this.topic.appendGap((this.log.compare(lastMissingId, newest) >= 0) ? lastMissingId : newest);
		}

	}

	/** Publishes at once, inside a transaction too; shares the broadcaster's topics. */
	private final class ImmediateBroadcaster implements SseBroadcaster {

		@Override
		public String publish(String topic, Object data) {
			return DefaultSseBroadcaster.this.publish(topic, item(data), null, false);
		}

		@Override
		public String publish(String topic, SseItem<?> item) {
			return DefaultSseBroadcaster.this.publish(topic, item, null, false);
		}

		@Override
		public String publishToUsers(String topic, Collection<String> users, SseItem<?> item) {
			return DefaultSseBroadcaster.this.publish(topic, item, audience(users), false);
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
