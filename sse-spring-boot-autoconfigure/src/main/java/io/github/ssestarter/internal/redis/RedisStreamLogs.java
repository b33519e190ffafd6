package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplane.Backlog;
import io.github.ssestarter.internal.broadcast.SseBackplane.Follower;
import io.github.ssestarter.internal.broadcast.SseBackplane.StreamLogs;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;

import static io.github.ssestarter.internal.redis.RedisCommands.bytes;

/**
 * Resumable streams' logs: the Redis stream {@code sse:stream:<key>}, appended to by the topics'
 * script but trimmed to about its capacity only, not by age, and kept by the instance running the
 * stream's source rather than by following it; and its mark, the string {@code sse:mark:<key>}.
 */
final class RedisStreamLogs implements StreamLogs {

	private static final String KEY_PREFIX = "sse:stream:";

	private static final String MARK_KEY_PREFIX = "sse:mark:";

	/** What is read or appended to, for messages. */
	private static final String LOG = "a resumable stream";

	private final StreamAppends appends;

	private final StreamReads reads;

	private final Follows follows;

	private final RedisCommands commands;

	RedisStreamLogs(StreamAppends appends, StreamReads reads, Follows follows, RedisCommands commands) {
		this.appends = appends;
		this.reads = reads;
		this.follows = follows;
		this.commands = commands;
	}

	@Override
	public CompletableFuture<String> append(String stream, SseBackplaneEvent event, int capacity, Duration expiry) {
		return this.appends.append(KEY_PREFIX + stream, LOG, event, Math.max(1, capacity), expiry, false);
	}

	@Override
	public Backlog backlog(String stream, int max) {
		return this.reads.backlog(KEY_PREFIX + stream, LOG, max);
	}

	@Override
	public AutoCloseable follow(String stream, String afterId, Follower follower) {
		return this.follows.follow(KEY_PREFIX + stream, LOG, false, afterId, follower);
	}

	@Override
	public void keep(Map<String, Duration> expiries) {
		this.commands.pipelined((connection) -> expiries.forEach((stream, expiry) -> connection.keyCommands()
			.pExpire(bytes(KEY_PREFIX + stream), Math.max(1, expiry.toMillis()))));
	}

	@Override
	public void mark(String stream, String mark, Duration expiry) {
		this.commands.pipelined((connection) -> connection.stringCommands()
			.pSetEx(bytes(MARK_KEY_PREFIX + stream), Math.max(1, expiry.toMillis()), bytes(mark)));
	}

	@Override
	public Map<String, String> marks(Collection<String> streams) {
		if (streams.isEmpty()) {
			return Map.of();
		}
		List<String> keys = streams.stream().map((stream) -> MARK_KEY_PREFIX + stream).toList();
		List<String> values;
		try {
			values = this.commands.values().multiGet(keys);
		}
		catch (RuntimeException ex) {
			throw new SseBackplaneException("Redis could not read resumable streams' marks: " + ex.getMessage(), ex);
		}
		Map<String, String> marks = new LinkedHashMap<>();
		int i = 0;
		for (String stream : streams) {
			String value = (values != null && i < values.size()) ? values.get(i) : null;
			if (value != null) {
				marks.put(stream, value);
			}
			i++;
		}
		return marks;
	}

}
