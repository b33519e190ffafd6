package io.github.ssestarter.internal.redis;

import java.util.concurrent.CompletableFuture;

/**
 * One entry waiting to be appended to a Redis stream, its arguments already encoded for the
 * append script (see {@link AppendBatch}).
 *
 * @param key the stream's key
 * @param log what is appended to, for messages: {@code topic 'orders'}, say
 * @param arguments the entry's arguments: most entries kept, expiry in milliseconds, whether to trim
 * by age ({@code 1} or {@code 0}), the number of field names and values, then the fields
 * @param id completed with the entry's id, or with an {@code SseBackplaneException}
 * @param deadline when the append fails if Redis has not answered, in {@link System#nanoTime()}
 */
record Append(byte[] key, String log, byte[][] arguments, CompletableFuture<String> id, long deadline) {

	/** The bytes the append sends, about. */
	int size() {
		int size = this.key.length;
		for (byte[] argument : this.arguments) {
			size += argument.length;
		}
		return size;
	}

}
