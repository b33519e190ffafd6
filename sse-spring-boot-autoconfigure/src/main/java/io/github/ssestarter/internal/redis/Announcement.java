package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An entry as the append script announces it on the channel: a sequence of length-prefixed parts
 * ({@code <length>:<bytes>}): the announcement's count, the entry's id, the id before it, the
 * key of the Redis stream it was appended to, then the entry's fields as name and value. One
 * message announces every entry of a script call: {@code *} then each announcement as a part of
 * its own, so that readers take one message per call rather than one per entry. A message of a
 * single announcement without the {@code *} is read too.
 *
 * @param count the announcement's number, one more than the one before
 * @param id the entry's id
 * @param previous the id of the entry before it in the stream
 * @param key the key of the Redis stream
 * @param fields the event's fields
 */
record Announcement(long count, String id, String previous, String key, Map<byte[], byte[]> fields) {

	/** The channel appends are announced on. */
	static final String CHANNEL = "sse:published";

	/**
	 * Counts announcements, so that a reader notices one it missed. A count that is lost (Redis
	 * restarted empty, or the key expired) starts again from a thousand times the current time in
	 * milliseconds, above any count before it, so that it never reads as one a reader already heard.
	 */
	static final String COUNTER_KEY = "sse:published";

	/** Starts a message that holds several announcements. */
	static final byte BATCH = '*';

	/**
	 * Reads the announcements of a message, in order.
	 * @return the announcements, or {@code null} if the message is not one or more of them
	 */
	static @Nullable List<Announcement> parseAll(byte[] message) {
		try {
			if (message.length == 0 || message[0] != BATCH) {
				return List.of(parse(new Parts(message, 0, message.length)));
			}
			Parts batch = new Parts(message, 1, message.length);
			List<Announcement> announcements = new ArrayList<>();
			while (batch.hasNext()) {
				int length = batch.nextLength();
				announcements.add(parse(new Parts(message, batch.position, batch.position + length)));
				batch.position += length;
			}
			return announcements.isEmpty() ? null : announcements;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static Announcement parse(Parts parts) {
		long count = Long.parseLong(parts.nextText());
		String id = parts.nextText();
		String previous = parts.nextText();
		String key = parts.nextText();
		Map<byte[], byte[]> fields = new LinkedHashMap<>();
		while (parts.hasNext()) {
			byte[] name = parts.next();
			fields.put(name, parts.next());
		}
		return new Announcement(count, id, previous, key, fields);
	}

	/** Reads length-prefixed parts of a range of a message. */
	private static final class Parts {

		private final byte[] message;

		private final int end;

		private int position;

		Parts(byte[] message, int start, int end) {
			this.message = message;
			this.position = start;
			this.end = end;
		}

		boolean hasNext() {
			return this.position < this.end;
		}

		String nextText() {
			return new String(next(), StandardCharsets.UTF_8);
		}

		byte[] next() {
			int length = nextLength();
			int start = this.position;
			this.position = start + length;
			return Arrays.copyOfRange(this.message, start, start + length);
		}

		/** Reads a part's length and its colon; the part itself comes next. */
		int nextLength() {
			int length = 0;
			int digits = 0;
			while (this.position < this.end && this.message[this.position] != ':') {
				byte digit = this.message[this.position++];
				if (digit < '0' || digit > '9' || ++digits > 9) {
					throw new IllegalArgumentException("not a length");
				}
				length = length * 10 + (digit - '0');
			}
			if (digits == 0 || this.position + 1 + length > this.end) {
				throw new IllegalArgumentException("part cut short");
			}
			this.position++;
			return length;
		}

	}

}
