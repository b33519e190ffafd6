package io.github.ssestarter.internal.broadcast;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.ssestarter.InvalidTopicException;
import io.github.ssestarter.SseListener;
import org.jspecify.annotations.Nullable;

/**
 * The broadcaster's topics by name: a topic is created when first used, in memory or from a shared
 * log, and retired when idle; a retired topic is created afresh, with a new epoch in its ids, when
 * used again. A caller that finds the topic at hand retired gets the one taking its place.
 */
final class TopicRegistry {

	private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");

	private final BroadcastSettings settings;

	private final SseListener listener;

	private final EventIds ids = EventIds.startingNow();

	/** Creates topics that follow a shared log, or {@code null} when topics live in this process only. */
	private final @Nullable TopicFollower follower;

	/** Read when a topic is created, so that it observes with what the broadcaster was given. */
	private final Supplier<BroadcastObservations> observations;

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** Topics being created from a shared log's backlog, so that a topic's backlog is read once. */
	private final Map<String, CompletableFuture<Topic>> creating = new ConcurrentHashMap<>();

	/** Counts topic creations, so that a topic created again gets a new epoch in its ids. */
	private final AtomicLong incarnations = new AtomicLong();

	/**
	 * @param follower creates topics that follow a shared log, or {@code null} for topics in this
	 * process only, which give their events their own ids
	 */
	TopicRegistry(BroadcastSettings settings, SseListener listener, @Nullable TopicFollower follower,
			Supplier<BroadcastObservations> observations) {
		this.settings = settings;
		this.listener = listener;
		this.follower = follower;
		this.observations = observations;
	}

	/**
	 * Refuses a name that is not a topic's: too long, or with characters other than letters,
	 * digits and {@code ._:/-}.
	 * @throws InvalidTopicException if the name is not a topic's
	 */
	static void checkName(String name) {
		Objects.requireNonNull(name, "topic must not be null");
		if (!TOPIC_NAME.matcher(name).matches()) {
			throw new InvalidTopicException(name);
		}
	}

	/** The topic of that name, or {@code null} if nobody has used it (or it was retired since). */
	@Nullable Topic find(String name) {
		return this.topics.get(name);
	}

	/** The names of the topics there are now, sorted. */
	List<String> names() {
		return this.topics.keySet().stream().sorted().toList();
	}

	/** The topics there are now; a topic created or retired meanwhile may or may not be among them. */
	Collection<Topic> all() {
		return this.topics.values();
	}

	/**
	 * The topic of that name, created if there is none. It may be retired by the time the caller
	 * uses it, which the topic then says: the caller asks again for the one taking its place.
	 */
	Topic topic(String name) {
		Objects.requireNonNull(name, "topic must not be null");
		Topic topic = this.topics.get(name);
		if (topic != null) {
			return topic;
		}
		checkName(name);
		TopicFollower following = this.follower;
		if (following == null) {
			return this.topics.computeIfAbsent(name, (key) -> {
				EventIds topicIds = this.ids.incarnation(this.incarnations.getAndIncrement());
				return new Topic(key, topicIds, topicIds.format(0), this.settings, this.listener,
						this.observations.get());
			});
		}
		return fromLog(name, following);
	}

	/**
	 * The topic of that name, {@link Topic#reserve reserved} for a subscription about to be
	 * admitted, so that it is not retired meanwhile.
	 */
	Topic reserve(String name) {
		Topic topic = topic(name);
		while (!topic.reserve()) {
			topic = topic(name);
		}
		return topic;
	}

	/**
	 * Creates a topic from a shared log's backlog, read once however many requests want the topic
	 * at the same time, and follows the log after it.
	 */
	private Topic fromLog(String name, TopicFollower following) {
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
			Topic created = following.open(name, this.observations);
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

	/**
	 * Retires the topics nobody uses: no subscriber, none about to join, and nothing left to
	 * replay. Each is dropped with its buffer (and its follow of a shared log).
	 */
	void retireIdle() {
		for (Map.Entry<String, Topic> entry : this.topics.entrySet()) {
			Topic topic = entry.getValue();
			if (topic.retireIfIdle()) {
				this.topics.remove(entry.getKey(), topic);
				this.listener.topicRetired(entry.getKey());
			}
		}
	}

	/** Retires every topic whatever it holds, as a stopping broadcaster does with those it cannot keep up to date. */
	void retireAll() {
		for (Map.Entry<String, Topic> entry : this.topics.entrySet()) {
			entry.getValue().retire();
			this.topics.remove(entry.getKey(), entry.getValue());
		}
	}

}
