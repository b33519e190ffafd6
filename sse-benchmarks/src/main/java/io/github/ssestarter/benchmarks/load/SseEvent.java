package io.github.ssestarter.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event being dispatched by a {@link SseEventParser}: a view that the parser reuses for every
 * event of a stream, so it is valid only during {@link SseEventListener#onEvent(SseEvent)}.
 *
 * <p>The numeric accessors read straight from the bytes, so that the load generator can check
 * every event without creating strings.
 */
public final class SseEvent {

	private byte[] lastEventId = new byte[32];

	private int lastEventIdLength;

	private boolean idInEvent;

	private byte[] type = new byte[16];

	private int typeLength;

	private byte[] data = new byte[128];

	private int dataLength;

	/**
	 * The last event id of the stream: the value of the latest {@code id} field, in this event or an
	 * earlier one.
	 * @return the id, empty when none was ever set
	 */
	public String id() {
		return new String(this.lastEventId, 0, this.lastEventIdLength, StandardCharsets.UTF_8);
	}

	/**
	 * Whether this event itself carried an {@code id} field.
	 * @return whether the id was set by this event
	 */
	public boolean hasOwnId() {
		return this.idInEvent;
	}

	/**
	 * The sequence number at the end of the last event id: the digits after its last {@code -}, or
	 * the whole id when it is a number.
	 * @return the sequence number, or {@code -1} when the id does not end in digits
	 */
	public long idSequence() {
		int start = this.lastEventIdLength;
		while (start > 0 && isDigit(this.lastEventId[start - 1])) {
			start--;
		}
		int digits = this.lastEventIdLength - start;
		if (digits == 0 || digits > 18) {
			return -1;
		}
		return parseDigits(this.lastEventId, start, this.lastEventIdLength);
	}

	/**
	 * The event type.
	 * @return the value of the {@code event} field, or {@code message} when there was none
	 */
	public String type() {
		return (this.typeLength == 0) ? "message"
				: new String(this.type, 0, this.typeLength, StandardCharsets.UTF_8);
	}

	/**
	 * The data: the {@code data} lines joined with LF.
	 * @return the data
	 */
	public String data() {
		return new String(this.data, 0, this.dataLength, StandardCharsets.UTF_8);
	}

	/**
	 * The number the data starts with, e.g. the publish timestamp of a benchmark event.
	 * @return the number, or {@code -1} when the data does not start with a digit
	 */
	public long dataLeadingNumber() {
		int end = 0;
		while (end < this.dataLength && end < 18 && isDigit(this.data[end])) {
			end++;
		}
		return (end == 0) ? -1 : parseDigits(this.data, 0, end);
	}

	/**
	 * The second number of the data, after the leading number and one space: the publisher's
	 * sequence number of a benchmark event ({@code EventPayload}).
	 * @return the number, or {@code -1} when the data has no second number ended by a space or the
	 * end of the data
	 */
	public long dataSecondNumber() {
		int first = 0;
		while (first < this.dataLength && isDigit(this.data[first])) {
			first++;
		}
		if (first == 0 || first >= this.dataLength || this.data[first] != ' ') {
			return -1;
		}
		int start = first + 1;
		int end = start;
		while (end < this.dataLength && end - start < 18 && isDigit(this.data[end])) {
			end++;
		}
		if (end == start || (end < this.dataLength && this.data[end] != ' ')) {
			return -1;
		}
		return parseDigits(this.data, start, end);
	}

	void setLastEventId(byte[] bytes, int offset, int length) {
		this.lastEventId = ensure(this.lastEventId, length);
		System.arraycopy(bytes, offset, this.lastEventId, 0, length);
		this.lastEventIdLength = length;
		this.idInEvent = true;
	}

	void setType(byte[] bytes, int offset, int length) {
		this.type = ensure(this.type, length);
		System.arraycopy(bytes, offset, this.type, 0, length);
		this.typeLength = length;
	}

	void appendDataLine(byte[] bytes, int offset, int length) {
		this.data = ensure(this.data, this.dataLength + length + 1);
		System.arraycopy(bytes, offset, this.data, this.dataLength, length);
		this.dataLength += length;
		this.data[this.dataLength++] = '\n';
	}

	/**
	 * Prepares dispatch as the specification says: no data means no event; otherwise the final LF
	 * added after the last data line is removed.
	 * @return whether there is an event to dispatch
	 */
	boolean prepareDispatch() {
		if (this.dataLength == 0) {
			return false;
		}
		this.dataLength--;
		return true;
	}

	/**
	 * Clears the data and type (and whether the event had its own id) for the next event; the last
	 * event id is kept.
	 */
	void clearEvent() {
		this.dataLength = 0;
		this.typeLength = 0;
		this.idInEvent = false;
	}

	private static byte[] ensure(byte[] array, int size) {
		return (array.length >= size) ? array : Arrays.copyOf(array, Math.max(size, array.length * 2));
	}

	private static boolean isDigit(byte b) {
		return b >= '0' && b <= '9';
	}

	private static long parseDigits(byte[] bytes, int start, int end) {
		long value = 0;
		for (int i = start; i < end; i++) {
			value = value * 10 + (bytes[i] - '0');
		}
		return value;
	}

}
