package io.github.ssestarter.broadcast;

import java.time.Duration;
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
 * @param id the id the log gave it, or {@code null} before it is appended
 * @param eventType the event type, or {@code null} for the default
 * @param data the encoded data, or {@code null} for none
 * @param retry the retry hint, or {@code null}
 * @param comment the comment, or {@code null}
 * @param users the users it is addressed to, or {@code null} for everyone
 * @param headers the headers it was published with, such as a W3C {@code traceparent}; empty when
 * none, never {@code null}
 */
public record SseBackplaneEvent(@Nullable String id, @Nullable String eventType, @Nullable String data,
		@Nullable Duration retry, @Nullable String comment, @Nullable Set<String> users, Map<String, String> headers) {

	public SseBackplaneEvent {
		headers = Map.copyOf(Objects.requireNonNull(headers, "headers must not be null"));
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
				this.headers);
	}

}
