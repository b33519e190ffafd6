package io.github.ssestarter.internal.broadcast;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

/**
 * The entries of a resumable stream's log: its start, each event with its sequence, and its end.
 * What an instance needs to serve the stream travels as headers of every entry, so that the log
 * explains itself from any entry still kept: the sequence, a digest of the scope a resuming request
 * must match, the owner who may resume it, the endpoint (for metrics), and on the last entry how
 * the stream ended.
 */
final class StreamLogEntries {

	static final String SEQUENCE = "sse-stream-sequence";

	static final String SCOPE = "sse-stream-scope";

	static final String OWNER = "sse-stream-owner";

	static final String ENDPOINT = "sse-stream-endpoint";

	static final String END = "sse-stream-end";

	/** The source ended: a client gets every event, then the end of its stream. */
	static final String COMPLETED = "completed";

	/** The stream was cancelled with its source: a client's connection ends, and it starts afresh. */
	static final String CANCELLED = "cancelled";

	private StreamLogEntries() {
	}

	/**
	 * What every entry of one stream carries.
	 * @param scopeDigest the digest of the scope a resuming request must match
	 * @param owner the user who may resume the stream, or {@code null} for anyone holding an id
	 * @param endpoint the route template of the endpoint that started the stream
	 */
	record Meta(String scopeDigest, @Nullable String owner, String endpoint) {

		static Meta of(String scope, @Nullable String owner, String endpoint) {
			return new Meta(digest(scope), owner, endpoint);
		}

		boolean mayResume(String scope, @Nullable String user) {
			return this.scopeDigest.equals(digest(scope)) && (this.owner == null || this.owner.equals(user));
		}

	}

	/**
	 * One entry, read back.
	 * @param sequence the sequence of the event, or of the stream's last event for its end, 0 for its start
	 * @param item the event, or {@code null} for the start or the end
	 * @param end how the stream ended, or {@code null} if this entry is not its end
	 */
	record Entry(Meta meta, long sequence, @Nullable SseItem<String> item, @Nullable String end) {
	}

	static SseBackplaneEvent start(Meta meta) {
		return new SseBackplaneEvent(null, null, null, null, null, null, headers(meta, 0, null));
	}

	static SseBackplaneEvent event(Meta meta, long sequence, SseItem<String> item) {
		return new SseBackplaneEvent(null, item.eventType(), item.data(), item.retry(), item.comment(), null,
				headers(meta, sequence, null));
	}

	static SseBackplaneEvent end(Meta meta, long lastSequence, String how) {
		return new SseBackplaneEvent(null, null, null, null, null, null, headers(meta, lastSequence, how));
	}

	/**
	 * Reads an entry.
	 * @return the entry, or {@code null} if the event is not one of a stream's entries
	 */
	static @Nullable Entry read(SseBackplaneEvent event) {
		Map<String, String> headers = event.headers();
		String sequence = headers.get(SEQUENCE);
		String scope = headers.get(SCOPE);
		String endpoint = headers.get(ENDPOINT);
		if (sequence == null || scope == null || endpoint == null) {
			return null;
		}
		long parsed;
		try {
			parsed = Long.parseLong(sequence);
		}
		catch (NumberFormatException ex) {
			return null;
		}
		if (parsed < 0) {
			return null;
		}
		Meta meta = new Meta(scope, headers.get(OWNER), endpoint);
		String end = headers.get(END);
		boolean hasEvent = end == null && parsed > 0;
		return new Entry(meta, parsed, hasEvent ? event.toItem().withId(null) : null, end);
	}

	private static Map<String, String> headers(Meta meta, long sequence, @Nullable String end) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(SEQUENCE, Long.toString(sequence));
		headers.put(SCOPE, meta.scopeDigest());
		if (meta.owner() != null) {
			headers.put(OWNER, meta.owner());
		}
		headers.put(ENDPOINT, meta.endpoint());
		if (end != null) {
			headers.put(END, end);
		}
		return headers;
	}

	private static String digest(String scope) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
