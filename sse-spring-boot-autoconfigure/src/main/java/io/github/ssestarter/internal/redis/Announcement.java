package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An entry as the append script announces it on the channel: a sequence of length-prefixed parts
 * ({@code <length>:<bytes>}): the announcement's count, the entry's id, the id before it, the
 * key of the Redis stream it was appended to, then the entry's fields as name and value.
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

	/**
	 * Reads an announcement.
	 * @return the announcement, or {@code null} if the message is not one
	 */
	static @Nullable Announcement parse(byte[] message) {
		Parts parts = new Parts(message);
		try {
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
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** Reads length-prefixed parts. */
	private static final class Parts {

		private final byte[] message;

		private int position;

		Parts(byte[] message) {
			this.message = message;
		}

		boolean hasNext() {
			return this.position < this.message.length;
		}

		String nextText() {
			return new String(next(), StandardCharsets.UTF_8);
		}

		byte[] next() {
			int length = 0;
			int digits = 0;
			while (this.position < this.message.length && this.message[this.position] != ':') {
				byte digit = this.message[this.position++];
				if (digit < '0' || digit > '9' || ++digits > 9) {
					throw new IllegalArgumentException("not a length");
				}
				length = length * 10 + (digit - '0');
			}
			int start = this.position + 1;
			if (digits == 0 || start + length > this.message.length) {
				throw new IllegalArgumentException("part cut short");
			}
			this.position = start + length;
			return Arrays.copyOfRange(this.message, start, start + length);
		}

	}

}
