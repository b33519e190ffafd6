package io.github.ssestarter;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event: its data and the optional {@code id}, {@code event} type,
 * {@code retry} hint and comment that travel with it.
 *
 * <p>Items are immutable; the {@code with…} methods return a copy. Every field is checked at
 * construction so that an item that exists can always be written: an {@code id} or event type
 * containing CR or LF (which would inject fields into the stream), an {@code id} containing NUL
 * (which clients ignore) and a negative retry are refused with an {@link IllegalArgumentException}
 * that names the field.
 *
 * <p>Data that is a {@link String} is written as is, split into {@code data:} lines on CR, LF and
 * CRLF. Any other data is serialised by the application's JSON mapper when the item is written.
 * An item without data (only an id, a retry hint or a comment) is written but not dispatched as an
 * event by clients.
 *
 * @param <T> the type of the data
 */
public final class SseItem<T> {

	private final @Nullable T data;

	private final @Nullable String eventType;

	private final @Nullable String id;

	/** The longest delay whose whole milliseconds fit a {@code long}. */
	private static final Duration LONGEST_RETRY = Duration.ofMillis(Long.MAX_VALUE).plusNanos(999_999);

	private final @Nullable Duration retry;

	private final @Nullable String comment;

	private SseItem(@Nullable T data, @Nullable String eventType, @Nullable String id, @Nullable Duration retry,
			@Nullable String comment) {
		this.data = data;
		this.eventType = checkNoLineTerminator("eventType", eventType);
		this.id = checkId(id);
		this.retry = checkRetry(retry);
		this.comment = comment;
	}

	/**
	 * An event carrying the given data with the default event type.
	 * @param data the data, a {@link String} written as is or an object serialised to JSON
	 * @param <T> the type of the data
	 * @return the item
	 */
	public static <T> SseItem<T> of(T data) {
		Objects.requireNonNull(data, "data must not be null");
		return new SseItem<>(data, null, null, null, null);
	}

	/**
	 * An event of the given type carrying the given data.
	 * @param eventType the event type, without CR or LF
	 * @param data the data, a {@link String} written as is or an object serialised to JSON
	 * @param <T> the type of the data
	 * @return the item
	 */
	public static <T> SseItem<T> of(String eventType, T data) {
		Objects.requireNonNull(eventType, "eventType must not be null");
		Objects.requireNonNull(data, "data must not be null");
		return new SseItem<>(data, eventType, null, null, null);
	}

	/**
	 * An item with no fields at all, to build on with the {@code with…} methods.
	 * @return the empty item
	 */
	public static SseItem<Void> empty() {
		return new SseItem<>(null, null, null, null, null);
	}

	/**
	 * A comment line, ignored by clients; useful to keep intermediaries from closing an idle stream.
	 * @param comment the comment; each line becomes its own comment line
	 * @return the item
	 */
	public static SseItem<Void> comment(String comment) {
		Objects.requireNonNull(comment, "comment must not be null");
		return new SseItem<>(null, null, null, null, comment);
	}

	/**
	 * An item without data that only moves the client's last event id, so that a client that
	 * reconnects before the next event still resumes from here.
	 * @param id the id, without CR, LF or NUL
	 * @return the item
	 */
	public static SseItem<Void> idOnly(String id) {
		Objects.requireNonNull(id, "id must not be null");
		return new SseItem<>(null, null, id, null, null);
	}

	/**
	 * An item without data that only tells the client how long to wait before reconnecting.
	 * @param retry the reconnection delay, not negative
	 * @return the item
	 */
	public static SseItem<Void> retryOnly(Duration retry) {
		Objects.requireNonNull(retry, "retry must not be null");
		return new SseItem<>(null, null, null, retry, null);
	}

	/**
	 * A copy with the given event type.
	 * @param eventType the event type, without CR or LF; {@code null} for the default type
	 * @return the copy
	 */
	public SseItem<T> withEventType(@Nullable String eventType) {
		return new SseItem<>(this.data, eventType, this.id, this.retry, this.comment);
	}

	/**
	 * A copy with the given id, which clients send back as {@code Last-Event-ID} on reconnect.
	 * @param id the id, without CR, LF or NUL; {@code null} for none
	 * @return the copy
	 */
	public SseItem<T> withId(@Nullable String id) {
		return new SseItem<>(this.data, this.eventType, id, this.retry, this.comment);
	}

	/**
	 * A copy with the given reconnection delay hint.
	 * @param retry the delay, not negative nor longer than {@link Long#MAX_VALUE} milliseconds, written in
	 * whole milliseconds; {@code null} for none
	 * @return the copy
	 */
	public SseItem<T> withRetry(@Nullable Duration retry) {
		return new SseItem<>(this.data, this.eventType, this.id, retry, this.comment);
	}

	/**
	 * A copy with the given comment, written before the event's fields.
	 * @param comment the comment; {@code null} for none
	 * @return the copy
	 */
	public SseItem<T> withComment(@Nullable String comment) {
		return new SseItem<>(this.data, this.eventType, this.id, this.retry, comment);
	}

	/**
	 * A copy carrying other data, with the same id, event type, retry and comment.
	 * @param data the new data
	 * @param <R> the type of the new data
	 * @return the copy
	 */
	public <R> SseItem<R> withData(@Nullable R data) {
		return new SseItem<>(data, this.eventType, this.id, this.retry, this.comment);
	}

	public @Nullable T data() {
		return this.data;
	}

	public @Nullable String eventType() {
		return this.eventType;
	}

	public @Nullable String id() {
		return this.id;
	}

	public @Nullable Duration retry() {
		return this.retry;
	}

	public @Nullable String comment() {
		return this.comment;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof SseItem<?> that)) {
			return false;
		}
		return Objects.equals(this.data, that.data) && Objects.equals(this.eventType, that.eventType)
				&& Objects.equals(this.id, that.id) && Objects.equals(this.retry, that.retry)
				&& Objects.equals(this.comment, that.comment);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.data, this.eventType, this.id, this.retry, this.comment);
	}

	@Override
	public String toString() {
		return "SseItem{id=" + this.id + ", eventType=" + this.eventType + ", retry=" + this.retry + ", data="
				+ this.data + (this.comment != null ? ", comment=" + this.comment : "") + "}";
	}

	private static @Nullable String checkNoLineTerminator(String field, @Nullable String value) {
		if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
			throw new IllegalArgumentException(field + " contains a line terminator");
		}
		return value;
	}

	private static @Nullable String checkId(@Nullable String id) {
		checkNoLineTerminator("id", id);
		if (id != null && id.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("id contains NUL, which clients ignore");
		}
		return id;
	}

	private static @Nullable Duration checkRetry(@Nullable Duration retry) {
		if (retry != null && retry.isNegative()) {
			throw new IllegalArgumentException("retry must not be negative");
		}
		// Written in whole milliseconds, which a longer delay does not fit.
		if (retry != null && retry.compareTo(LONGEST_RETRY) > 0) {
			throw new IllegalArgumentException("retry must be at most " + Long.MAX_VALUE + " ms, was " + retry);
		}
		return retry;
	}

}
