package io.github.ssestarter.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.ssestarter.broadcast.SseBackplane;
import io.github.ssestarter.broadcast.SseBackplaneEvent;
import io.github.ssestarter.broadcast.SseBackplaneException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;

/**
 * A backplane on Redis Streams: each topic is the stream {@code sse:topic:<name>}, trimmed to about the
 * replay capacity; the stream entry id ({@code <milliseconds>-<sequence>}) is the event id.
 *
 * <p>Each followed topic is read by one thread per instance with blocking {@code XREAD} on its own
 * connection; when Redis is unreachable the thread retries, resuming after the last entry it
 * delivered, so that no accepted event is lost.
 */
public final class RedisSseBackplane implements SseBackplane {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private static final Pattern ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

	private static final String EMPTY_ID = "0-0";

	/** Shorter than any sensible Redis command timeout, which also applies to blocking reads. */
	private static final Duration BLOCK = Duration.ofMillis(500);

	private static final Duration RETRY = Duration.ofMillis(500);

	private static final int READ_BATCH = 512;

	private final RedisConnectionFactory connections;

	private final int capacity;

	private final Duration maxAge;

	private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();

	/**
	 * Creates a backplane.
	 * @param connections the application's Redis connections
	 * @param capacity most events each topic's stream keeps
	 * @param maxAge oldest event replayed
	 */
	public RedisSseBackplane(RedisConnectionFactory connections, int capacity, Duration maxAge) {
		this.connections = connections;
		this.capacity = Math.max(1, capacity);
		this.maxAge = maxAge;
	}

	@Override
	public String append(String topic, SseBackplaneEvent event) {
		Map<byte[], byte[]> fields = Fields.of(event);
		MapRecord<byte[], byte[], byte[]> record = StreamRecords.newRecord().in(key(topic)).ofMap(fields);
		RecordId id = call("publish to topic '" + topic + "'",
				(connection) -> connection.streamCommands()
					.xAdd(record, XAddOptions.maxlen(this.capacity).approximateTrimming(true)));
		if (id == null) {
			throw new SseBackplaneException("Redis did not accept the event for topic '" + topic + "'", null);
		}
		return id.getValue();
	}

	@Override
	public String newestId(String topic) {
		List<ByteRecord> newest = call("read topic '" + topic + "'", (connection) -> connection.streamCommands()
			.xRevRange(key(topic), Range.unbounded(), Limit.limit().count(1)));
		return (newest == null || newest.isEmpty()) ? EMPTY_ID : newest.get(0).getId().getValue();
	}

	@Override
	public @Nullable List<SseBackplaneEvent> after(String topic, String id, int max) {
		return call("replay topic '" + topic + "'", (connection) -> {
			List<ByteRecord> oldest = connection.streamCommands()
				.xRange(key(topic), Range.unbounded(), Limit.limit().count(1));
			if (oldest == null || oldest.isEmpty() || compare(id, oldest.get(0).getId().getValue()) < 0) {
				// Entries after the id may have been trimmed away.
				return null;
			}
			List<ByteRecord> records = connection.streamCommands()
				.xRange(key(topic), Range.of(Range.Bound.exclusive(id), Range.Bound.unbounded()),
						Limit.limit().count(max));
			List<SseBackplaneEvent> events = toEvents(records);
			if (!events.isEmpty() && millisOf(events.get(0).id()) < Instant.now().minus(this.maxAge).toEpochMilli()) {
				return null;
			}
			return events;
		});
	}

	@Override
	public AutoCloseable follow(String topic, String afterId, Consumer<List<SseBackplaneEvent>> consumer) {
		Follower follower = new Follower(topic, afterId, consumer);
		Thread thread = new Thread(follower, "sse-redis-" + topic);
		thread.setDaemon(true);
		thread.start();
		return () -> {
			follower.stop();
			thread.interrupt();
		};
	}

	@Override
	public boolean isId(String id) {
		return ID.matcher(id).matches();
	}

	@Override
	public int compare(String first, String second) {
		int byMillis = Long.compareUnsigned(millisOf(first), millisOf(second));
		return (byMillis != 0) ? byMillis : Long.compareUnsigned(sequenceOf(first), sequenceOf(second));
	}

	@Override
	public Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		String failure = this.lastFailure.get();
		state.put("type", "redis");
		state.put("status", (failure != null) ? "DOWN" : "UP");
		if (failure != null) {
			state.put("error", failure);
		}
		return state;
	}

	private <T> T call(String what, Function<RedisConnection, T> action) {
		try (RedisConnection connection = this.connections.getConnection()) {
			T result = action.apply(connection);
			this.lastFailure.set(null);
			return result;
		}
		catch (RuntimeException ex) {
			this.lastFailure.set(ex.toString());
			throw new SseBackplaneException("Redis could not " + what + ": " + ex.getMessage(), ex);
		}
	}

	private static byte[] key(String topic) {
		return ("sse:topic:" + topic).getBytes(StandardCharsets.UTF_8);
	}

	private static long millisOf(String id) {
		return Long.parseUnsignedLong(id, 0, id.indexOf('-'), 10);
	}

	private static long sequenceOf(String id) {
		return Long.parseUnsignedLong(id, id.indexOf('-') + 1, id.length(), 10);
	}

	private static List<SseBackplaneEvent> toEvents(@Nullable List<ByteRecord> records) {
		if (records == null) {
			return List.of();
		}
		List<SseBackplaneEvent> events = new ArrayList<>(records.size());
		for (ByteRecord record : records) {
			events.add(Fields.toEvent(record.getId().getValue(), record.getValue()));
		}
		return events;
	}

	/**
	 * Reads one topic's stream for this instance, from one thread, on one connection it reopens
	 * after failures.
	 */
	private final class Follower implements Runnable {

		private final String topic;

		private final Consumer<List<SseBackplaneEvent>> consumer;

		private volatile boolean stopped;

		private String lastId;

		Follower(String topic, String afterId, Consumer<List<SseBackplaneEvent>> consumer) {
			this.topic = topic;
			this.lastId = afterId;
			this.consumer = consumer;
		}

		void stop() {
			this.stopped = true;
		}

		@Override
		public void run() {
			boolean failing = false;
			while (!this.stopped) {
				try (RedisConnection connection = RedisSseBackplane.this.connections.getConnection()) {
					while (!this.stopped) {
						List<ByteRecord> records = connection.streamCommands()
							.xRead(org.springframework.data.redis.connection.stream.StreamReadOptions.empty()
								.block(BLOCK)
								.count(READ_BATCH),
									org.springframework.data.redis.connection.stream.StreamOffset.create(key(this.topic),
											org.springframework.data.redis.connection.stream.ReadOffset.from(this.lastId)));
						if (failing) {
							logger.info("Reading topic '" + this.topic + "' from Redis again after " + this.lastId);
							failing = false;
							RedisSseBackplane.this.lastFailure.set(null);
						}
						List<SseBackplaneEvent> events = toEvents(records);
						if (!events.isEmpty()) {
							this.consumer.accept(events);
							this.lastId = events.get(events.size() - 1).id();
						}
					}
				}
				catch (RuntimeException ex) {
					if (this.stopped) {
						return;
					}
					RedisSseBackplane.this.lastFailure.set(ex.toString());
					if (!failing) {
						logger.warn("Cannot read topic '" + this.topic + "' from Redis; retrying every "
								+ RETRY.toMillis() + " ms: " + ex.getMessage());
						failing = true;
					}
					try {
						Thread.sleep(RETRY.toMillis());
					}
					catch (InterruptedException interrupted) {
						return;
					}
				}
			}
		}

	}

	/**
	 * The fields of a stream entry.
	 */
	private static final class Fields {

		private static final byte[] TYPE = bytes("type");

		private static final byte[] DATA = bytes("data");

		private static final byte[] RETRY = bytes("retry");

		private static final byte[] COMMENT = bytes("comment");

		private static final byte[] USERS = bytes("users");

		static Map<byte[], byte[]> of(SseBackplaneEvent event) {
			Map<byte[], byte[]> fields = new LinkedHashMap<>();
			put(fields, TYPE, event.eventType());
			put(fields, DATA, event.data());
			put(fields, RETRY, (event.retry() != null) ? Long.toString(event.retry().toMillis()) : null);
			put(fields, COMMENT, event.comment());
			if (event.users() != null) {
				// NUL cannot occur in a principal's name as HTTP carries it.
				put(fields, USERS, String.join("\0", event.users()));
			}
			if (fields.isEmpty()) {
				put(fields, DATA, "");
			}
			return fields;
		}

		static SseBackplaneEvent toEvent(String id, Map<byte[], byte[]> fields) {
			String type = null;
			String data = null;
			Duration retry = null;
			String comment = null;
			Set<String> users = null;
			for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
				byte[] name = field.getKey();
				String value = new String(field.getValue(), StandardCharsets.UTF_8);
				if (Arrays.equals(name, TYPE)) {
					type = value;
				}
				else if (Arrays.equals(name, DATA)) {
					data = value;
				}
				else if (Arrays.equals(name, RETRY)) {
					retry = Duration.ofMillis(Long.parseLong(value));
				}
				else if (Arrays.equals(name, COMMENT)) {
					comment = value;
				}
				else if (Arrays.equals(name, USERS)) {
					users = new LinkedHashSet<>(Arrays.asList(value.split("\0", -1)));
				}
			}
			return new SseBackplaneEvent(id, type, data, retry, comment, users);
		}

		private static void put(Map<byte[], byte[]> fields, byte[] name, @Nullable String value) {
			if (value != null) {
				fields.put(name, bytes(value));
			}
		}

		private static byte[] bytes(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

}
