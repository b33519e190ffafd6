package io.github.ssestarter.internal.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplane.Backlog;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.ByteRecord;

import static io.github.ssestarter.internal.redis.RedisCommands.bytes;

/**
 * Reads Redis streams' entries as events: the newest id, the backlog, the entries after an id. An
 * entry that cannot be an event (written by other software, say) is skipped, counted, and logged
 * once per stream.
 */
final class StreamReads {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	/** Most streams whose unreadable entries are logged, so that the set of them stays bounded. */
	private static final int LOGGED_STREAMS = 1000;

	private final RedisCommands commands;

	private final AtomicLong skippedEntries = new AtomicLong();

	private final Set<String> streamsWithSkippedEntries = ConcurrentHashMap.newKeySet();

	StreamReads(RedisCommands commands) {
		this.commands = commands;
	}

	/**
	 * The id of a stream's newest entry.
	 * @param key the stream's key
	 * @param log what is read, for messages: {@code topic 'orders'}, say
	 * @return the id, or {@link EntryIds#EMPTY} if the stream has no entry
	 * @throws SseBackplaneException if Redis does not answer
	 */
	String newestId(String key, String log) {
		List<ByteRecord> newest = this.commands.call("read " + log, (connection) -> connection.streamCommands()
			.xRevRange(bytes(key), Range.unbounded(), Limit.limit().count(1)));
		return (newest == null || newest.isEmpty()) ? EntryIds.EMPTY : newest.get(0).getId().getValue();
	}

	/**
	 * The newest events of a stream, after the last entry among them that does not follow the one
	 * before it.
	 * @param key the stream's key
	 * @param log what is read, for messages
	 * @param max the most entries to read
	 * @return the events and where they start
	 * @throws SseBackplaneException if Redis does not answer
	 */
	Backlog backlog(String key, String log, int max) {
		List<ByteRecord> newestFirst = this.commands.call("read " + log, (connection) -> connection.streamCommands()
			.xRevRange(bytes(key), Range.unbounded(), Limit.limit().count(Math.max(1, max))));
		if (newestFirst == null || newestFirst.isEmpty()) {
			return new Backlog(EntryIds.EMPTY, EntryIds.EMPTY, List.of());
		}
		List<ByteRecord> records = new ArrayList<>(newestFirst);
		Collections.reverse(records);
		// The backlog starts after the last entry that does not follow the one before it: what
		// came before a gap cannot be replayed without one.
		String after = null;
		int start = 0;
		for (int i = records.size() - 1; i >= 0 && after == null; i--) {
			String previous = Entries.previous(records.get(i).getValue());
			String expected = (i > 0) ? records.get(i - 1).getId().getValue() : null;
			if (previous == null || !EntryIds.isId(previous)) {
				// An entry that does not say what came before it: start after it, claiming nothing older.
				after = records.get(i).getId().getValue();
				start = i + 1;
			}
			else if (expected == null || !previous.equals(expected)) {
				after = previous;
				start = i;
			}
		}
		List<SseBackplaneEvent> events = new ArrayList<>(records.size() - start);
		for (ByteRecord record : records.subList(start, records.size())) {
			SseBackplaneEvent event = decode(key, record.getId().getValue(), record.getValue());
			if (event != null) {
				events.add(event);
			}
		}
		return new Backlog(after, newestFirst.get(0).getId().getValue(), events);
	}

	/**
	 * The oldest entries of a stream after an id.
	 * @param key the stream's key
	 * @param log what is read, for messages
	 * @param afterId the id after which to read
	 * @param count the most entries to read
	 * @return the entries, oldest first
	 * @throws SseBackplaneException if Redis does not answer
	 */
	List<ByteRecord> after(String key, String log, String afterId, int count) {
		List<ByteRecord> records = this.commands.call("read " + log, (connection) -> connection.streamCommands()
			.xRange(bytes(key), Range.of(Range.Bound.exclusive(afterId), Range.Bound.unbounded()),
					Limit.limit().count(count)));
		return (records != null) ? records : List.of();
	}

	/**
	 * The event an entry holds, or {@code null} for an entry that cannot be one: it is skipped,
	 * counted, and logged once per stream.
	 * @param key the stream's key
	 * @param id the entry's id
	 * @param fields the entry's fields
	 * @return the event, or {@code null}
	 */
	@Nullable SseBackplaneEvent decode(String key, String id, Map<byte[], byte[]> fields) {
		try {
			return Entries.toEvent(id, fields);
		}
		catch (RuntimeException ex) {
			this.skippedEntries.incrementAndGet();
			if (this.streamsWithSkippedEntries.size() < LOGGED_STREAMS && this.streamsWithSkippedEntries.add(key)) {
				logger.warn("Skipping entry " + id + " of Redis stream '" + key + "', which is not an event ("
						+ ex.getMessage() + "); further ones of this stream are counted in skippedEntries, not logged");
			}
			return null;
		}
	}

	/**
	 * How many entries were skipped as not events.
	 * @return the count
	 */
	long skippedEntries() {
		return this.skippedEntries.get();
	}

}
