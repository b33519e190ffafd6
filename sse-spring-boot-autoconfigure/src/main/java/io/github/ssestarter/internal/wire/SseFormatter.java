package io.github.ssestarter.internal.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

/**
 * Writes items as the exact UTF-8 bytes of a {@code text/event-stream} frame.
 *
 * <p>A frame holds the item's comment lines first, then its fields in the canonical order
 * {@code id}, {@code event}, {@code retry}, {@code data}, each written as the name, a colon and
 * one space (so that a value starting with a space survives), and ends with a blank line. Comment
 * and data text is split into one line each on CR, LF and CRLF, and on nothing else: U+2028,
 * U+2029, U+0085, VT and FF are not line terminators in an event stream and stay in the value. A
 * trailing line terminator therefore becomes a final empty {@code data: } line, which a client
 * turns back into a trailing LF. No byte order mark is ever written.
 *
 * <p>The formatter trusts the item: {@link SseItem} refuses, at construction, every field that
 * would corrupt the stream. Each frame is encoded once into an array of exactly its size, so that
 * the same bytes can be handed to any number of connections; callers must not modify it.
 */
public final class SseFormatter {

	private static final byte[] COMMENT = { ':', ' ' };

	private static final byte[] ID = { 'i', 'd', ':', ' ' };

	private static final byte[] EVENT = { 'e', 'v', 'e', 'n', 't', ':', ' ' };

	private static final byte[] RETRY = { 'r', 'e', 't', 'r', 'y', ':', ' ' };

	private static final byte[] DATA = { 'd', 'a', 't', 'a', ':', ' ' };

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private SseFormatter() {
	}

	/**
	 * Encodes an item as one frame.
	 * <p>The item's data must already be serialised: it must be a {@link String} or {@code null},
	 * and {@code null} data writes no {@code data} line, so clients update their last event id and
	 * retry delay but dispatch no event. The retry delay is written in whole milliseconds, any
	 * fraction dropped. Unpaired surrogates are written as {@code ?}, as
	 * {@link String#getBytes(java.nio.charset.Charset)} does.
	 * @param item the item to encode
	 * @return the frame's bytes, ending with a blank line
	 * @throws IllegalArgumentException if the item's data is neither a {@code String} nor
	 * {@code null}
	 */
	public static byte[] format(SseItem<?> item) {
		Objects.requireNonNull(item, "item must not be null");
		Object data = item.data();
		if (data != null && !(data instanceof String)) {
			throw new IllegalArgumentException(
					"data must be serialised to a String before formatting, but was a " + data.getClass().getName());
		}
		byte[] comment = utf8(item.comment());
		byte[] id = utf8(item.id());
		byte[] eventType = utf8(item.eventType());
		byte[] retry = retryMillis(item.retry());
		byte[] dataBytes = utf8((String) data);
		int size = linesSize(COMMENT, comment) + fieldSize(ID, id) + fieldSize(EVENT, eventType)
				+ fieldSize(RETRY, retry) + linesSize(DATA, dataBytes) + 1;
		byte[] frame = new byte[size];
		int position = writeLines(frame, 0, COMMENT, comment);
		position = writeField(frame, position, ID, id);
		position = writeField(frame, position, EVENT, eventType);
		position = writeField(frame, position, RETRY, retry);
		position = writeLines(frame, position, DATA, dataBytes);
		frame[position] = LF;
		return frame;
	}

	/**
	 * Encodes a comment frame, which clients ignore; a heartbeat, for instance. Each line of the
	 * text, split on CR, LF and CRLF, gets its own {@code ": "} prefix: {@code "keep\nalive"} is
	 * written as {@code ": keep\n: alive\n\n"}.
	 * @param text the comment text
	 * @return the frame's bytes, ending with a blank line
	 */
	public static byte[] comment(String text) {
		Objects.requireNonNull(text, "text must not be null");
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[linesSize(COMMENT, bytes) + 1];
		int position = writeLines(frame, 0, COMMENT, bytes);
		frame[position] = LF;
		return frame;
	}

	private static byte @Nullable [] utf8(@Nullable String value) {
		return (value != null) ? value.getBytes(StandardCharsets.UTF_8) : null;
	}

	private static byte @Nullable [] retryMillis(@Nullable Duration retry) {
		return (retry != null) ? Long.toString(retry.toMillis()).getBytes(StandardCharsets.US_ASCII) : null;
	}

	private static int fieldSize(byte[] prefix, byte @Nullable [] value) {
		return (value != null) ? prefix.length + value.length + 1 : 0;
	}

	private static int writeField(byte[] frame, int position, byte[] prefix, byte @Nullable [] value) {
		if (value == null) {
			return position;
		}
		return writeLine(frame, position, prefix, value, 0, value.length);
	}

	/**
	 * The size of {@code text} written as prefixed lines: every line terminator (CR, LF or CRLF)
	 * is replaced by one LF, and each line gains the prefix. CR and LF bytes never occur inside a
	 * multi-byte UTF-8 sequence, so scanning bytes is scanning characters.
	 */
	private static int linesSize(byte[] prefix, byte @Nullable [] text) {
		if (text == null) {
			return 0;
		}
		int lines = 1;
		int terminatorBytes = 0;
		for (int i = 0; i < text.length; i++) {
			byte b = text[i];
			if (b == CR || b == LF) {
				lines++;
				terminatorBytes++;
				if (b == CR && i + 1 < text.length && text[i + 1] == LF) {
					i++;
					terminatorBytes++;
				}
			}
		}
		return lines * (prefix.length + 1) + text.length - terminatorBytes;
	}

	private static int writeLines(byte[] frame, int position, byte[] prefix, byte @Nullable [] text) {
		if (text == null) {
			return position;
		}
		int lineStart = 0;
		for (int i = 0; i < text.length; i++) {
			byte b = text[i];
			if (b == CR || b == LF) {
				position = writeLine(frame, position, prefix, text, lineStart, i);
				if (b == CR && i + 1 < text.length && text[i + 1] == LF) {
					i++;
				}
				lineStart = i + 1;
			}
		}
		return writeLine(frame, position, prefix, text, lineStart, text.length);
	}

	private static int writeLine(byte[] frame, int position, byte[] prefix, byte[] text, int start, int end) {
		System.arraycopy(prefix, 0, frame, position, prefix.length);
		position += prefix.length;
		int length = end - start;
		System.arraycopy(text, start, frame, position, length);
		position += length;
		frame[position] = LF;
		return position + 1;
	}

}
