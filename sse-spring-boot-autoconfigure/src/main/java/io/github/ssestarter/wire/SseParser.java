package io.github.ssestarter.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A push parser that turns the bytes of a {@code text/event-stream} into events, exactly as the
 * WHATWG HTML standard's "event stream interpretation" describes.
 *
 * <p>Bytes may be fed in chunks of any size, split anywhere: inside a multi-byte character,
 * inside a leading byte order mark or between the CR and LF of a CRLF. The stream is decoded as
 * UTF-8, malformed sequences becoming U+FFFD, and one leading byte order mark is dropped. Lines
 * end with CRLF, LF or a lone CR. Field names are case-sensitive; {@code data} lines are joined
 * with LF; an event is dispatched at a blank line if it has data, with the type {@code "message"}
 * when no or an empty {@code event} field was given; an {@code id} field that contains NUL is
 * ignored; {@code retry} is honoured only when it is all ASCII digits; comments and unknown fields
 * are ignored, and a final event that is not ended by a blank line is never dispatched.
 *
 * <p>Memory is bounded: a single line, or the data of a single event, longer than the maximum
 * length fails the parser with an {@link IllegalStateException} rather than growing without end.
 * The parser is then unusable and every further {@link #feed} throws.
 *
 * <p>A parser serves one stream and is not thread-safe: the caller must not feed it from two
 * threads at once. The listener is called on the feeding thread, during {@link #feed}; if it
 * throws, the exception propagates to the caller and the rest of that chunk is not parsed.
 */
public final class SseParser {

	private static final int DEFAULT_MAX_LENGTH = 1024 * 1024;

	private static final int INITIAL_CAPACITY = 256;

	/** Buffers that grew beyond this for an exceptional line or event are released after it. */
	private static final int RETAINED_CAPACITY = 64 * 1024;

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private static final byte COLON = ':';

	private static final byte SPACE = ' ';

	private static final byte[] DATA = { 'd', 'a', 't', 'a' };

	private static final byte[] EVENT = { 'e', 'v', 'e', 'n', 't' };

	private static final byte[] ID = { 'i', 'd' };

	private static final byte[] RETRY = { 'r', 'e', 't', 'r', 'y' };

	private final Listener listener;

	private final int maxLength;

	private byte[] line = new byte[INITIAL_CAPACITY];

	private int lineLength;

	private byte[] data = new byte[INITIAL_CAPACITY];

	private int dataLength;

	private @Nullable String eventType;

	private String lastEventIdBuffer = "";

	private String lastEventId = "";

	/** How many bytes of a leading BOM have been seen; -1 once past the start of the stream. */
	private int bomPosition;

	/** Whether the last byte was a CR, so that an LF right after it ends no further line. */
	private boolean afterCr;

	private @Nullable String failure;

	/**
	 * Creates a parser that allows lines and event data of up to 1 MiB (1,048,576 bytes).
	 * @param listener receives the events, comments and retry delays
	 */
	public SseParser(Listener listener) {
		this(listener, DEFAULT_MAX_LENGTH);
	}

	/**
	 * Creates a parser with the given bound on memory.
	 * @param listener receives the events, comments and retry delays
	 * @param maxLineLength the most bytes a single line may hold, not counting its line
	 * terminator; the data of a single event (its {@code data} values joined with LF) is held to
	 * the same bound
	 * @throws IllegalArgumentException if {@code maxLineLength} is not positive
	 */
	public SseParser(Listener listener, int maxLineLength) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		if (maxLineLength <= 0) {
			throw new IllegalArgumentException("maxLineLength must be positive, but was " + maxLineLength);
		}
		this.maxLength = maxLineLength;
	}

	/**
	 * Parses the next bytes of the stream, calling the listener for every event, comment and retry
	 * delay that they complete. Bytes of an unfinished line are kept for the next call.
	 * @param bytes the bytes
	 * @throws IllegalStateException if a line or an event's data exceeds the maximum length, or
	 * the parser failed earlier
	 */
	public void feed(byte[] bytes) {
		feed(bytes, 0, bytes.length);
	}

	/**
	 * Parses the next bytes of the stream, calling the listener for every event, comment and retry
	 * delay that they complete. Bytes of an unfinished line are kept for the next call; the caller
	 * may reuse the array once this method returns.
	 * @param bytes the array holding the bytes
	 * @param offset the index of the first byte
	 * @param length the number of bytes
	 * @throws IndexOutOfBoundsException if the range is not within the array
	 * @throws IllegalStateException if a line or an event's data exceeds the maximum length, or
	 * the parser failed earlier
	 */
	public void feed(byte[] bytes, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (this.failure != null) {
			throw new IllegalStateException("Parser failed earlier: " + this.failure);
		}
		int end = offset + length;
		int position = (this.bomPosition >= 0) ? skipBom(bytes, offset, end) : offset;
		while (position < end) {
			if (this.afterCr) {
				this.afterCr = false;
				if (bytes[position] == LF) {
					position++;
					continue;
				}
			}
			int terminator = position;
			while (terminator < end && bytes[terminator] != LF && bytes[terminator] != CR) {
				terminator++;
			}
			if (terminator == end) {
				appendToLine(bytes, position, end - position);
				return;
			}
			this.afterCr = bytes[terminator] == CR;
			if (this.lineLength == 0) {
				// The whole line is in this chunk: parse it in place, without copying.
				checkLineLength(terminator - position);
				processLine(bytes, position, terminator);
			}
			else {
				appendToLine(bytes, position, terminator - position);
				int buffered = this.lineLength;
				this.lineLength = 0;
				processLine(this.line, 0, buffered);
				if (this.line.length > RETAINED_CAPACITY) {
					this.line = new byte[INITIAL_CAPACITY];
				}
			}
			position = terminator + 1;
		}
	}

	/**
	 * The last event id: the value of the last valid {@code id} field, taken at the blank line
	 * that ended its block, whether or not that block dispatched an event. This is what a
	 * reconnecting client sends as {@code Last-Event-ID}.
	 * @return the last event id, empty when none has been set or it was reset
	 */
	public String lastEventId() {
		return this.lastEventId;
	}

	/**
	 * Drops one leading BOM, which may arrive split over several chunks. Bytes that began like a
	 * BOM but turn out not to be one are kept as line content.
	 */
	private int skipBom(byte[] bytes, int position, int end) {
		while (this.bomPosition >= 0 && position < end) {
			if (bytes[position] == BOM[this.bomPosition]) {
				position++;
				this.bomPosition++;
				if (this.bomPosition == BOM.length) {
					this.bomPosition = -1;
				}
			}
			else {
				int seen = this.bomPosition;
				this.bomPosition = -1;
				appendToLine(BOM, 0, seen);
			}
		}
		return position;
	}

	private void appendToLine(byte[] bytes, int offset, int length) {
		checkLineLength((long) this.lineLength + length);
		this.line = ensureCapacity(this.line, this.lineLength + length);
		System.arraycopy(bytes, offset, this.line, this.lineLength, length);
		this.lineLength += length;
	}

	private void checkLineLength(long length) {
		if (length > this.maxLength) {
			fail("SSE line longer than " + this.maxLength + " bytes");
		}
	}

	private void processLine(byte[] bytes, int start, int end) {
		if (start == end) {
			dispatch();
			return;
		}
		if (bytes[start] == COLON) {
			this.listener.onComment(decode(bytes, valueStart(bytes, start + 1, end), end));
			return;
		}
		int colon = start;
		while (colon < end && bytes[colon] != COLON) {
			colon++;
		}
		int value = (colon < end) ? valueStart(bytes, colon + 1, end) : end;
		if (nameIs(DATA, bytes, start, colon)) {
			appendToData(bytes, value, end);
		}
		else if (nameIs(EVENT, bytes, start, colon)) {
			this.eventType = decode(bytes, value, end);
		}
		else if (nameIs(ID, bytes, start, colon)) {
			if (!containsNul(bytes, value, end)) {
				this.lastEventIdBuffer = decode(bytes, value, end);
			}
		}
		else if (nameIs(RETRY, bytes, start, colon)) {
			long millis = parseDigits(bytes, value, end);
			if (millis >= 0) {
				this.listener.onRetry(millis);
			}
		}
	}

	private void dispatch() {
		this.lastEventId = this.lastEventIdBuffer;
		String type = this.eventType;
		this.eventType = null;
		if (this.dataLength == 0) {
			return;
		}
		// The data buffer ends with the LF appended after its last line, which is dropped.
		String eventData = decode(this.data, 0, this.dataLength - 1);
		this.dataLength = 0;
		if (this.data.length > RETAINED_CAPACITY) {
			this.data = new byte[INITIAL_CAPACITY];
		}
		this.listener.onEvent(new SseEvent((type == null || type.isEmpty()) ? "message" : type, eventData,
				this.lastEventId));
	}

	private void appendToData(byte[] bytes, int start, int end) {
		int length = end - start;
		if ((long) this.dataLength + length > this.maxLength) {
			fail("SSE event data longer than " + this.maxLength + " bytes");
		}
		this.data = ensureCapacity(this.data, this.dataLength + length + 1);
		System.arraycopy(bytes, start, this.data, this.dataLength, length);
		this.dataLength += length;
		this.data[this.dataLength++] = LF;
	}

	private void fail(String message) {
		this.failure = message;
		this.line = new byte[0];
		this.lineLength = 0;
		this.data = new byte[0];
		this.dataLength = 0;
		throw new IllegalStateException(message);
	}

	private static byte[] ensureCapacity(byte[] buffer, int capacity) {
		if (capacity <= buffer.length) {
			return buffer;
		}
		int doubled = (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length);
		return Arrays.copyOf(buffer, Math.max(capacity, doubled));
	}

	private static int valueStart(byte[] bytes, int start, int end) {
		return (start < end && bytes[start] == SPACE) ? start + 1 : start;
	}

	private static boolean nameIs(byte[] name, byte[] bytes, int start, int end) {
		return end - start == name.length && Arrays.equals(name, 0, name.length, bytes, start, end);
	}

	private static boolean containsNul(byte[] bytes, int start, int end) {
		for (int i = start; i < end; i++) {
			if (bytes[i] == 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The value of a non-empty run of ASCII digits, or -1 for anything else, including a number
	 * too large for a {@code long}, which no client could honour either.
	 */
	private static long parseDigits(byte[] bytes, int start, int end) {
		if (start == end) {
			return -1;
		}
		long value = 0;
		for (int i = start; i < end; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
				return -1;
			}
			value = value * 10 + digit;
		}
		return value;
	}

	private static String decode(byte[] bytes, int start, int end) {
		return (start == end) ? "" : new String(bytes, start, end - start, StandardCharsets.UTF_8);
	}

	/**
	 * Receives what a {@link SseParser} finds in the stream, on the thread that feeds it.
	 */
	public interface Listener {

		/**
		 * Called for each dispatched event, in stream order.
		 * @param event the event
		 */
		void onEvent(SseEvent event);

		/**
		 * Called for each comment line, which clients otherwise ignore. Does nothing by default.
		 * @param comment the text after the colon, without the one space that may follow it
		 */
		default void onComment(String comment) {
		}

		/**
		 * Called for each {@code retry} field made only of ASCII digits; the client should wait
		 * that long before reconnecting. Does nothing by default.
		 * @param millis the reconnection delay in milliseconds
		 */
		default void onRetry(long millis) {
		}

	}

}
