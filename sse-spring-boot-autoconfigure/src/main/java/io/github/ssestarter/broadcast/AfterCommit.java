package io.github.ssestarter.broadcast;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publication inside a Spring transaction: the event's place in its topic is held now, so that its
 * id is known and nothing published after it overtakes it, and filled once the transaction
 * commits, or left empty if it rolls back.
 *
 * <p>Only loaded when Spring's transaction support is on the class path.
 */
final class AfterCommit {

	private AfterCommit() {
	}

	/** Whether the calling thread runs in a transaction that takes synchronizations. */
	static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
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
