package io.github.ssestarter.internal.broadcast;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.ssestarter.SseItem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publication inside a Spring transaction: the event's place in its topic (or, with a backplane,
 * in the topic's shared log) is held now, so that its id is known and nothing published after it
 * overtakes it, and filled once the transaction commits, or left empty if it rolls back.
 *
 * <p>Only loaded when Spring's transaction support is on the class path.
 */
final class AfterCommit {

	private static final Log logger = LogFactory.getLog(AfterCommit.class);

	private AfterCommit() {
	}

	/** Whether the calling thread runs in a transaction that takes synchronizations. */
	static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	/**
	 * Holds the event's place in a shared log now, and fills it when the transaction commits, or
	 * leaves it empty if it rolls back; every instance holds back the topic's later events until
	 * then, or until the deadline.
	 * @param published told once the event filled its place
	 * @return completed with the event's id, the id of the entry holding its place
	 */
	static CompletableFuture<String> append(SseBackplane log, String topic, SseBackplaneEvent event, Instant until,
			Runnable published) {
		CompletableFuture<String> held = log.appendAsync(topic, SseBackplaneEvent.held(until));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				boolean committed = status == STATUS_COMMITTED;
				held.thenCompose((id) -> log.appendAsync(topic,
						committed ? event.filling(id) : SseBackplaneEvent.discarding(id)))
					.whenComplete((id, failure) -> {
						if (failure == null) {
							if (committed) {
								published.run();
							}
						}
						else if (!held.isCompletedExceptionally()) {
							logger.warn("An event published on topic '" + topic + "' inside a transaction that "
									+ (committed ? "committed" : "rolled back") + " could not be "
									+ (committed ? "delivered" : "withdrawn") + " through the shared log; its place is "
									+ "given up at " + until + ": " + failure.getMessage());
						}
					});
			}

		});
		return held;
	}

	/**
	 * Holds the event's place and delivers it when the transaction commits.
	 * @param topic the topic, obtained anew if the one at hand was retired meanwhile
	 * @param headers the headers it was published with, kept for its delivery
	 * @return the event's id
	 */
	static String publish(Supplier<Topic> topic, SseItem<?> item, byte[] frameWithoutId,
			@Nullable Set<String> users, Map<String, String> headers) {
		Topic target;
		PublishedEvent place;
		do {
			target = topic.get();
			place = target.holdPlace();
		}
		while (place == null);
		Topic held = target;
		PublishedEvent heldPlace = place;
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_COMMITTED) {
					held.fillPlace(heldPlace, item, frameWithoutId, users, headers);
				}
				else {
					held.discardPlace(heldPlace);
				}
			}

		});
		return place.id();
	}

}
