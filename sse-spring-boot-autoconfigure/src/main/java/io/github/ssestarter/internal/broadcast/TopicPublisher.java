package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Puts published events where subscribers get them, each encoded once: in its topic's ring, which
 * gives its id, or, with a backplane, in the shared log, which gives its id and from which every
 * instance's topic takes it. An event published inside a transaction can get its place now and its
 * content once the transaction commits.
 */
final class TopicPublisher {

	private final SseFrameEncoder encoder;

	private final SseListener listener;

	private final TopicRegistry topics;

	private final @Nullable SseBackplane backplane;

	/** Read at each publication, so that it observes with what the broadcaster was given. */
	private final Supplier<BroadcastObservations> observations;

	/** Read at each publication inside a transaction, for the deadline of its place in the log. */
	private final Supplier<Duration> afterCommitTimeout;

	/** Whether Spring's transaction support is there to defer publications to the commit. */
	private final boolean transactions = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			TopicPublisher.class.getClassLoader());

	TopicPublisher(SseFrameEncoder encoder, SseListener listener, TopicRegistry topics,
			@Nullable SseBackplane backplane, Supplier<BroadcastObservations> observations,
			Supplier<Duration> afterCommitTimeout) {
		this.encoder = encoder;
		this.listener = listener;
		this.topics = topics;
		this.backplane = backplane;
		this.observations = observations;
		this.afterCommitTimeout = afterCommitTimeout;
	}

	/**
	 * Publishes an event and waits for its id.
	 * @param users the users it is addressed to, or {@code null} for everyone
	 * @param afterCommit whether an event published inside a transaction waits for it to commit
	 * @return the event's id
	 */
	String publish(String topic, SseItem<?> item, @Nullable Set<String> users, boolean afterCommit) {
		BroadcastObservations observing = this.observations.get();
		if (!observing.enabled()) {
			return publish(topic, item, users, afterCommit, Map.of());
		}
		return observing.publish(topic, users != null,
				(headers) -> publish(topic, item, users, afterCommit, headers));
	}

	/**
	 * Publishes an event to everyone without waiting for the shared log, so that publications can
	 * travel together.
	 * @param log the shared log, the only place where publishing takes a wait worth sparing
	 * @param afterCommit whether an event published inside a transaction waits for it to commit
	 * @return completed with the event's id, or with what the event failed on
	 */
	CompletableFuture<String> publishAsync(SseBackplane log, String topic, SseItem<?> item, boolean afterCommit) {
		try {
			BroadcastObservations observing = this.observations.get();
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
			return AfterCommit.publish(() -> this.topics.topic(topic), item, frameWithoutId, users, headers);
		}
		while (true) {
			String id = this.topics.topic(topic).publish(item, frameWithoutId, users, headers);
			if (id != null) {
				return id;
			}
		}
	}

	/**
	 * Appends to the shared log, which gives the id; the event reaches this instance's subscribers
	 * through the follow, as other instances' do.
	 */
	private CompletableFuture<String> append(SseBackplane log, String topic, SseItem<?> item,
			@Nullable Set<String> users, boolean afterCommit, Map<String, String> headers) {
		checkItem(item);
		TopicRegistry.checkName(topic);
		SseItem<String> encoded = item.withData(this.encoder.encodeData(item.data()));
		SseBackplaneEvent event = new SseBackplaneEvent(null, encoded.eventType(), encoded.data(), encoded.retry(),
				encoded.comment(), users, headers);
		if (afterCommit && this.transactions && AfterCommit.inTransaction()) {
			return AfterCommit.append(log, topic, event, Instant.now().plus(this.afterCommitTimeout.get()),
					() -> this.listener.eventPublished(topic));
		}
		return log.appendAsync(topic, event)
			.thenApply((id) -> {
				// Counted once, where it was published, not by each instance that receives it.
				this.listener.eventPublished(topic);
				return id;
			});
	}

	private static void checkItem(SseItem<?> item) {
		Objects.requireNonNull(item, "item must not be null");
		if (item.id() != null) {
			throw new IllegalArgumentException("item has id '" + item.id() + "', but the broadcaster assigns ids");
		}
	}

}
