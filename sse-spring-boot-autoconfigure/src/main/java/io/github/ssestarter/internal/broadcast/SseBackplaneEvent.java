package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

/**
 * One event as a backplane stores it: its fields, with the data already encoded to text, the users
 * it is addressed to, and the headers it was published with. A backplane stores the headers with the
 * event and gives them back with it, so that instances delivering it continue the publisher's trace.
 *
 * <p>An event published inside a transaction takes two entries: one that {@link #held holds} its
 * place (and gives it its id) as it is published, and one that {@link #filling fills} that place
 * once the transaction commits, or {@link #discarding leaves it empty} if it rolls back.
 * Readers hold back every event after a held place until it is filled, left empty, or its deadline
 * passes. A backplane stores the place with the entry and gives it back.
 *
 * @param id the id the log gave it, or {@code null} before it is appended
 * @param eventType the event type, or {@code null} for the default
 * @param data the encoded data, or {@code null} for none
 * @param retry the retry hint, or {@code null}
 * @param comment the comment, or {@code null}
 * @param users the users it is addressed to, or {@code null} for everyone
 * @param headers the headers it was published with, such as a W3C {@code traceparent}; empty when
 * none, never {@code null}
 * @param place what the entry does to a held place, or {@code null} for a plain event
 */
public record SseBackplaneEvent(@Nullable String id, @Nullable String eventType, @Nullable String data,
		@Nullable Duration retry, @Nullable String comment, @Nullable Set<String> users, Map<String, String> headers,
		@Nullable Place place) {

	public SseBackplaneEvent {
		headers = Map.copyOf(Objects.requireNonNull(headers, "headers must not be null"));
	}

	/**
	 * A plain event.
	 * @param id the id the log gave it, or {@code null} before it is appended
	 * @param eventType the event type, or {@code null} for the default
	 * @param data the encoded data, or {@code null} for none
	 * @param retry the retry hint, or {@code null}
	 * @param comment the comment, or {@code null}
	 * @param users the users it is addressed to, or {@code null} for everyone
	 * @param headers the headers it was published with; empty when none
	 */
	public SseBackplaneEvent(@Nullable String id, @Nullable String eventType, @Nullable String data,
			@Nullable Duration retry, @Nullable String comment, @Nullable Set<String> users,
			Map<String, String> headers) {
		this(id, eventType, data, retry, comment, users, headers, null);
	}

	/**
	 * An entry that holds the place of an event whose transaction has not completed.
	 * @param until when readers stop waiting for it and leave the place empty
	 * @return the entry
	 */
	public static SseBackplaneEvent held(Instant until) {
		return new SseBackplaneEvent(null, null, null, null, null, null, Map.of(), new Place(Place.Kind.HELD, null, until));
	}

	/**
	 * The same event as the one that fills a held place, once its transaction committed.
	 * @param heldId the id of the entry that holds the place, which the event takes
	 * @return the entry
	 */
	public SseBackplaneEvent filling(String heldId) {
		return new SseBackplaneEvent(this.id, this.eventType, this.data, this.retry, this.comment, this.users,
				this.headers, new Place(Place.Kind.FILLED, heldId, null));
	}

	/**
	 * An entry that leaves a held place empty, once its transaction rolled back.
	 * @param heldId the id of the entry that holds the place
	 * @return the entry
	 */
	public static SseBackplaneEvent discarding(String heldId) {
		return new SseBackplaneEvent(null, null, null, null, null, null, Map.of(),
				new Place(Place.Kind.DISCARDED, heldId, null));
	}

	/**
	 * The event as an item, with its id.
	 * @return the item
	 */
	public SseItem<String> toItem() {
		return SseItem.empty().withData(this.data).withEventType(this.eventType).withRetry(this.retry)
			.withComment(this.comment).withId(this.id);
	}

	/**
	 * The same event with the id the log gave it.
	 * @param id the id
	 * @return the event
	 */
	public SseBackplaneEvent withId(String id) {
		return new SseBackplaneEvent(id, this.eventType, this.data, this.retry, this.comment, this.users,
				this.headers, this.place);
	}

	/**
	 * What an entry does to the place of an event published inside a transaction.
	 *
	 * @param kind whether it holds, fills or empties the place
	 * @param heldId the id of the entry that holds the place, for one that fills or empties it
	 * @param until for one that holds it, when readers stop waiting
	 */
	public record Place(Kind kind, @Nullable String heldId, @Nullable Instant until) {

		public Place {
			Objects.requireNonNull(kind, "kind must not be null");
			if ((kind == Kind.HELD) != (until != null) || (kind != Kind.HELD) != (heldId != null)) {
				throw new IllegalArgumentException("A held place has a deadline and no held id; a filled or "
						+ "discarded one a held id and no deadline");
			}
		}

		/** What an entry does to a place. */
		public enum Kind {

			/** Holds the place: readers wait for it. */
			HELD,

			/** Fills the held place with the entry's event. */
			FILLED,

			/** Leaves the held place empty. */
			DISCARDED

		}

	}

}
