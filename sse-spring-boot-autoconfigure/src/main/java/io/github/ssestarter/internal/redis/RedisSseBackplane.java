package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;

/**
 * A backplane on Redis Streams. Each topic is the stream {@code sse:topic:<name>}; the stream entry
 * id ({@code <milliseconds>-<sequence>}) is the event id, and each entry names the one before it,
 * so that a reader sees any gap. One script appends an entry, trims the stream to about the replay
 * capacity and age, renews the key's expiry and announces the entry on the channel
 * {@code sse:published}; a topic nobody publishes to or follows expires after the replay age.
 * Resumable streams' logs are Redis streams too, {@code sse:stream:<key>}, appended to by the same
 * script but trimmed by count only, and kept by the instance running the stream's source rather than
 * by those following it.
 *
 * <p>An instance holds the same resources however many topics it follows: one subscription to the
 * channel, two threads that deliver announced entries (each topic's in order, one at a time), one
 * thread that sends appends, as many as wait at once in one round trip, and the application's
 * shared Redis connection. Announcements are numbered: one that went missing (Redis away, a
 * subscription being re-established) makes every followed topic read its stream again after the
 * last entry it delivered, so no accepted event is lost.
 */
public final class RedisSseBackplane implements SseBackplane, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private static final Pattern ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

	private static final String EMPTY_ID = "0-0";

	private static final String KEY_PREFIX = "sse:topic:";

	private static final String STREAM_KEY_PREFIX = "sse:stream:";

	private static final String MARK_KEY_PREFIX = "sse:mark:";

	/**
	 * Counts announcements, so that a reader notices one it missed. A count that is lost (Redis
	 * restarted empty, or the key expired) starts again from a thousand times the current time in
	 * milliseconds, above any count before it, so that it never reads as one a reader already heard.
	 */
	private static final String COUNTER_KEY = "sse:published";

	private static final String CHANNEL = "sse:published";

	/** How often the announcement count is compared with the announcements received. */
	private static final Duration POLL = Duration.ofSeconds(1);

	private static final Duration RETRY = Duration.ofMillis(500);

	private static final int READ_BATCH = 512;

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(
			"io.lettuce.core.api.async.RedisScriptingAsyncCommands", RedisSseBackplane.class.getClassLoader());

	/** Most appends sent and not yet answered; more are refused. */
	private static final int MAX_APPENDS_IN_FLIGHT = 10_000;

	/** Most announced entries a follow holds before it reads the stream instead. */
	private static final int MAX_QUEUED = 10_000;

	/** Most topics whose unreadable entries are logged, so that the set of them stays bounded. */
	private static final int LOGGED_TOPICS = 1000;

	private static final RedisScript<String> APPEND = RedisScript.of("""
			local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
			local prev = '0-0'
			if #newest > 0 then prev = newest[1][1] end
			local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'prev', prev, unpack(ARGV, 5))
			local oldest = tonumber(string.match(id, '^%d+')) - tonumber(ARGV[2])
			if ARGV[4] == '1' and oldest > 0 then
				redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', oldest))
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			if redis.call('EXISTS', KEYS[2]) == 0 then
				redis.call('SET', KEYS[2], string.format('%d', tonumber(string.match(id, '^%d+')) * 1000))
			end
			local count = redis.call('INCR', KEYS[2])
			redis.call('PEXPIRE', KEYS[2], ARGV[2])
			local parts = { string.format('%d', count), id, prev, KEYS[1] }
			for i = 5, #ARGV do parts[#parts + 1] = ARGV[i] end
			for i = 1, #parts do parts[i] = #parts[i] .. ':' .. parts[i] end
			redis.call('PUBLISH', ARGV[3], table.concat(parts))
			return id
			""", String.class);

	private final RedisConnectionFactory connections;

	private final StringRedisTemplate template;

	private final int capacity;

	private final Duration maxAge;

	/** Places for appends sent and not yet answered. */
	private final Semaphore appendsInFlight = new Semaphore(MAX_APPENDS_IN_FLIGHT);

	/** Sends appends without waiting, when the connections are Lettuce's; else {@code null}. */
	private final @Nullable LettuceAppends lettuce;

	/** Reads followed topics, polls the announcement count, renews expiries. */
	private final ScheduledExecutorService readers;

	/** Follows by the key of the Redis stream they read. */
	private final Map<String, Set<Follow>> follows = new ConcurrentHashMap<>();

	private final StreamLogs streamLogs = new RedisStreamLogs();

	private final AtomicBoolean listening = new AtomicBoolean();

	private volatile boolean running;

	private volatile @Nullable RedisMessageListenerContainer container;

	/** The count of the last announcement received, 0 before the first. */
	private final AtomicLong announced = new AtomicLong();

	/** The count the previous poll read. */
	private long polled = -1;

	private final AtomicLong skippedEntries = new AtomicLong();

	private final Set<String> topicsWithSkippedEntries = ConcurrentHashMap.newKeySet();

	private final AtomicReference<@Nullable String> publishFailure = new AtomicReference<>();

	private final AtomicReference<@Nullable String> pollFailure = new AtomicReference<>();

	private final Set<Follow> failingFollows = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a backplane.
	 * @param connections the application's Redis connections
	 * @param capacity about the most events each topic's stream keeps
	 * @param maxAge how long an event is kept, and how long a topic nobody uses lives on
	 */
	public RedisSseBackplane(RedisConnectionFactory connections, int capacity, Duration maxAge) {
		this.connections = connections;
		this.template = new StringRedisTemplate(connections);
		this.capacity = Math.max(1, capacity);
		this.maxAge = maxAge.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : maxAge;
		AtomicInteger threads = new AtomicInteger();
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = new Thread(runnable, "sse-redis-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		this.readers = executor;
		this.lettuce = (LETTUCE_PRESENT && LettuceAppends.isAvailable(connections))
				? new LettuceAppends(connections, APPEND, executor) : null;
		long pollMillis = POLL.toMillis();
		this.readers.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
		long renewMillis = Math.max(1000, this.maxAge.toMillis() / 3);
		this.readers.scheduleWithFixedDelay(this::renewExpiries, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
	}

	@Override
	public String append(String topic, SseBackplaneEvent event) {
		try {
			return appendAsync(topic, event).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof SseBackplaneException failure) ? failure
					: new SseBackplaneException("Redis could not publish to topic '" + topic + "'", ex.getCause());
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>With Lettuce, appends are sent without waiting for the ones before, so that appends in
	 * flight share round trips; at most 10,000 may be in flight, more are refused at once. An append
	 * not answered within the command timeout fails, and is not sent later if it was still waiting
	 * for a connection. With other clients an append waits for its answer.
	 */
	@Override
	public CompletableFuture<String> appendAsync(String topic, SseBackplaneEvent event) {
		return append(KEY_PREFIX + topic, "topic '" + topic + "'", event, this.capacity, this.maxAge, true);
	}

	private CompletableFuture<String> append(String key, String log, SseBackplaneEvent event, int maxLength,
			Duration expiry, boolean trimByAge) {
		List<String> arguments = new ArrayList<>();
		arguments.add(Integer.toString(maxLength));
		arguments.add(Long.toString(Math.max(1, expiry.toMillis())));
		arguments.add(CHANNEL);
		arguments.add(trimByAge ? "1" : "0");
		Entries.put(arguments, event);
		byte[][] keys = { bytes(key), bytes(COUNTER_KEY) };
		byte[][] values = arguments.stream().map(RedisSseBackplane::bytes).toArray(byte[][]::new);
		CompletableFuture<String> id = new CompletableFuture<>();
		if (!this.appendsInFlight.tryAcquire()) {
			id.completeExceptionally(new SseBackplaneException("Redis could not append to " + log + ": "
					+ MAX_APPENDS_IN_FLIGHT + " appends already wait for it", null));
			return id;
		}
		id.whenComplete((result, failure) -> {
			this.appendsInFlight.release();
			this.publishFailure.set((failure != null) ? failure.toString() : null);
		});
		try {
			LettuceAppends lettuce = this.lettuce;
			if (lettuce == null || !lettuce.append(log, keys, values, id)) {
				id.complete(appendWaiting(keys, values));
			}
		}
		catch (RuntimeException ex) {
			id.completeExceptionally(
					new SseBackplaneException("Redis could not append to " + log + ": " + ex.getMessage(), ex));
		}
		return id;
	}

	/** Appends and waits for the answer, for Redis clients other than Lettuce. */
	private String appendWaiting(byte[][] keys, byte[][] values) {
		byte[][] keysAndValues = new byte[keys.length + values.length][];
		System.arraycopy(keys, 0, keysAndValues, 0, keys.length);
		System.arraycopy(values, 0, keysAndValues, keys.length, values.length);
		try (RedisConnection connection = this.connections.getConnection()) {
			byte[] result;
			try {
				result = connection.scriptingCommands().evalSha(APPEND.getSha1(), ReturnType.VALUE, keys.length,
						keysAndValues);
			}
			catch (RuntimeException ex) {
				if (!String.valueOf(ex.getMessage()).contains("NOSCRIPT")) {
					throw ex;
				}
				result = connection.scriptingCommands().eval(bytes(APPEND.getScriptAsString()), ReturnType.VALUE,
						keys.length, keysAndValues);
			}
			if (result == null) {
				throw new IllegalStateException("Redis gave no id");
			}
			return new String(result, StandardCharsets.US_ASCII);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String newestId(String topic) {
		List<ByteRecord> newest = call("read topic '" + topic + "'", (connection) -> connection.streamCommands()
			.xRevRange(bytes(KEY_PREFIX + topic), Range.unbounded(), Limit.limit().count(1)));
		return (newest == null || newest.isEmpty()) ? EMPTY_ID : newest.get(0).getId().getValue();
	}

	@Override
	public Backlog backlog(String topic, int max) {
		return backlog(KEY_PREFIX + topic, "topic '" + topic + "'", max);
	}

	private Backlog backlog(String key, String log, int max) {
		List<ByteRecord> newestFirst = call("read " + log, (connection) -> connection.streamCommands()
			.xRevRange(bytes(key), Range.unbounded(), Limit.limit().count(Math.max(1, max))));
		if (newestFirst == null || newestFirst.isEmpty()) {
			return new Backlog(EMPTY_ID, EMPTY_ID, List.of());
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
			if (previous == null || !isId(previous)) {
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

	@Override
	public AutoCloseable follow(String topic, String afterId, Follower follower) {
		return follow(KEY_PREFIX + topic, "topic '" + topic + "'", true, afterId, follower);
	}

	private AutoCloseable follow(String key, String log, boolean keeps, String afterId, Follower follower) {
		Follow follow = new Follow(key, log, keeps, afterId, follower);
		this.follows.computeIfAbsent(key, (ignored) -> new CopyOnWriteArraySet<>()).add(follow);
		listen();
		follow.wake();
		return follow;
	}

	@Override
	public StreamLogs streamLogs() {
		return this.streamLogs;
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
	public Instant timeOf(String id) {
		return Instant.ofEpochMilli(millisOf(id));
	}

	/**
	 * {@inheritDoc}
	 * <p>{@code DOWN} while Redis does not answer a {@code PING}, or a followed topic cannot be
	 * read, or the last publish failed; with {@code followedTopics} and {@code skippedEntries}
	 * (entries that could not be read as events, skipped).
	 */
	@Override
	public Map<String, Object> state() {
		String failure = ping();
		if (failure == null) {
			failure = this.pollFailure.get();
		}
		if (failure == null && !this.failingFollows.isEmpty()) {
			failure = "cannot read " + this.failingFollows.iterator().next().log;
		}
		if (failure == null) {
			failure = this.publishFailure.get();
		}
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("type", "redis");
		state.put("status", (failure != null) ? "DOWN" : "UP");
		if (failure != null) {
			state.put("error", failure);
		}
		int followedTopics = (int) this.follows.keySet().stream().filter((key) -> key.startsWith(KEY_PREFIX)).count();
		state.put("followedTopics", followedTopics);
		state.put("followedStreams", this.follows.size() - followedTopics);
		state.put("skippedEntries", this.skippedEntries.get());
		return state;
	}

	/**
	 * Marks the backplane running; it subscribes to announcements on first use.
	 */
	public void start() {
		this.running = true;
	}

	/**
	 * Stops listening to announcements, as the application's Redis connections are about to stop;
	 * started again, the backplane subscribes again on first use.
	 */
	public void stop() {
		this.running = false;
		RedisMessageListenerContainer listener = this.container;
		this.container = null;
		if (listener != null) {
			try {
				listener.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop listening to Redis announcements", ex);
			}
		}
		this.listening.set(false);
	}

	/**
	 * Whether the backplane was started and not stopped since.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.running;
	}

	/** Stops listening and reading; the backplane is not used after this. */
	@Override
	public void close() {
		RedisMessageListenerContainer listener = this.container;
		if (listener != null) {
			try {
				listener.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop listening to Redis announcements", ex);
			}
		}
		this.readers.shutdownNow();
	}

	private @Nullable String ping() {
		try {
			call("answer", RedisConnection::ping);
			return null;
		}
		catch (SseBackplaneException ex) {
			return ex.getMessage();
		}
	}

	/** Subscribes to announcements, once, when the first topic is followed. */
	private void listen() {
		if (!this.listening.compareAndSet(false, true)) {
			return;
		}
		this.readers.execute(() -> {
			RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
			listener.setConnectionFactory(this.connections);
			// Announcements only wake readers: handled where they arrive, in order.
			listener.setTaskExecutor(Runnable::run);
			listener.setRecoveryInterval(RETRY.toMillis());
			listener.addMessageListener((message, pattern) -> announced(message), new ChannelTopic(CHANNEL));
			listener.afterPropertiesSet();
			this.container = listener;
			try {
				listener.start();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot subscribe to Redis announcements yet; retrying every " + RETRY.toMillis() + " ms: "
						+ ex.getMessage());
			}
			// Whatever was announced before the subscription took effect.
			readAll();
		});
	}

	private void announced(Message message) {
		Announcement announcement = Announcement.parse(message.getBody());
		if (announcement == null) {
			readAll();
			return;
		}
		long before = this.announced.getAndSet(announcement.count());
		if (before != 0 && announcement.count() != before + 1) {
			// An announcement went missing, for a topic that may be followed here.
			readAll();
		}
		Set<Follow> topicFollows = this.follows.get(announcement.key());
		if (topicFollows != null) {
			for (Follow follow : topicFollows) {
				follow.announced(announcement);
			}
		}
	}

	/**
	 * Compares the announcement count with the last announcement received: an announcement not
	 * received within a poll went missing (the subscription was down), so every followed topic
	 * reads again.
	 */
	private void poll() {
		if (this.follows.isEmpty()) {
			return;
		}
		try {
			String value = this.template.opsForValue().get(COUNTER_KEY);
			long count = (value != null) ? Long.parseLong(value) : 0;
			if (count != this.announced.get() && count == this.polled) {
				this.announced.set(count);
				readAll();
			}
			this.polled = count;
			if (this.pollFailure.getAndSet(null) != null) {
				logger.info("Redis answers again; reading every followed topic after its last event");
				readAll();
			}
		}
		catch (RuntimeException ex) {
			if (this.pollFailure.getAndSet(ex.toString()) == null) {
				logger.warn("Cannot reach Redis: " + ex.getMessage());
			}
		}
	}

	/** Keeps the streams of followed topics from expiring while clients here may resume from them. */
	private void renewExpiries() {
		if (this.follows.isEmpty()) {
			return;
		}
		List<String> keys = new ArrayList<>();
		this.follows.forEach((key, keyFollows) -> {
			if (keyFollows.stream().anyMatch((follow) -> follow.keeps)) {
				keys.add(key);
			}
		});
		long ttl = this.maxAge.toMillis();
		// Redis being away is reported by the poll; expiries are renewed on the next round.
		pipelined((connection) -> keys.forEach((key) -> connection.keyCommands().pExpire(bytes(key), ttl)));
	}

	/** Sends commands that need no answer; a failure is only logged, the caller does it again later. */
	private void pipelined(Consumer<RedisConnection> commands) {
		try {
			this.template.executePipelined((RedisCallback<Object>) (connection) -> {
				commands.accept(connection);
				return null;
			});
		}
		catch (RuntimeException ex) {
			logger.debug("Redis did not take a command that needs no answer", ex);
		}
	}

	/** Makes every followed topic read its stream after the last entry it read. */
	private void readAll() {
		for (Set<Follow> topicFollows : this.follows.values()) {
			for (Follow follow : topicFollows) {
				follow.readAgain();
			}
		}
	}

	/**
	 * The event an entry holds, or {@code null} for an entry that cannot be one (written by other
	 * software, say): it is skipped, counted, and logged once per topic.
	 */
	private @Nullable SseBackplaneEvent decode(String key, String id, Map<byte[], byte[]> fields) {
		try {
			return Entries.toEvent(id, fields);
		}
		catch (RuntimeException ex) {
			this.skippedEntries.incrementAndGet();
			if (this.topicsWithSkippedEntries.size() < LOGGED_TOPICS && this.topicsWithSkippedEntries.add(key)) {
				logger.warn("Skipping entry " + id + " of Redis stream '" + key + "', which is not an event ("
						+ ex.getMessage() + "); further ones of this stream are counted in skippedEntries, not logged");
			}
			return null;
		}
	}

	private <T> T call(String what, Function<RedisConnection, T> action) {
		try (RedisConnection connection = this.connections.getConnection()) {
			return action.apply(connection);
		}
		catch (RuntimeException ex) {
			throw new SseBackplaneException("Redis could not " + what + ": " + ex.getMessage(), ex);
		}
	}

	private static long millisOf(String id) {
		return Long.parseUnsignedLong(id, 0, id.indexOf('-'), 10);
	}

	private static long sequenceOf(String id) {
		return Long.parseUnsignedLong(id, id.indexOf('-') + 1, id.length(), 10);
	}

	/**
	 * Resumable streams' logs: the Redis stream {@code sse:stream:<key>}, trimmed to about its
	 * capacity but not by age, and its mark, the string {@code sse:mark:<key>}.
	 */
	private final class RedisStreamLogs implements StreamLogs {

		@Override
		public CompletableFuture<String> append(String stream, SseBackplaneEvent event, int capacity,
				Duration expiry) {
			return RedisSseBackplane.this.append(STREAM_KEY_PREFIX + stream, "a resumable stream", event,
					Math.max(1, capacity), expiry, false);
		}

		@Override
		public Backlog backlog(String stream, int max) {
			return RedisSseBackplane.this.backlog(STREAM_KEY_PREFIX + stream, "a resumable stream", max);
		}

		@Override
		public AutoCloseable follow(String stream, String afterId, Follower follower) {
			return RedisSseBackplane.this.follow(STREAM_KEY_PREFIX + stream, "a resumable stream", false, afterId,
					follower);
		}

		@Override
		public void keep(Map<String, Duration> expiries) {
			pipelined((connection) -> expiries.forEach((stream, expiry) -> connection.keyCommands()
				.pExpire(bytes(STREAM_KEY_PREFIX + stream), Math.max(1, expiry.toMillis()))));
		}

		@Override
		public void mark(String stream, String mark, Duration expiry) {
			pipelined((connection) -> connection.stringCommands()
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
				values = RedisSseBackplane.this.template.opsForValue().multiGet(keys);
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

	/**
	 * One follower of one topic. An announced entry that follows the last one delivered is
	 * delivered as announced; otherwise (an announcement missed, the follow just started) the
	 * topic's stream is read after the last entry read. Never two at once, in order.
	 */
	private final class Follow implements AutoCloseable {

		/** The key of the Redis stream read. */
		private final String key;

		/** What is read, for messages: {@code topic 'orders'}, say. */
		private final String log;

		/** Whether following keeps the stream from expiring. */
		private final boolean keeps;

		private final Follower follower;

		/** Announced entries not yet served, at most {@link #MAX_QUEUED}: beyond, the stream is read. */
		private final Queue<Announcement> queue = new ConcurrentLinkedQueue<>();

		private final AtomicInteger queued = new AtomicInteger();

		private final AtomicBoolean readWanted = new AtomicBoolean(true);

		/** Wake-ups not yet served; the reader runs while there are any. */
		private final AtomicInteger wakeUps = new AtomicInteger();

		private volatile boolean closed;

		/** The id of the last entry read, delivered or skipped; only touched by the reader. */
		private String lastId;

		Follow(String key, String log, boolean keeps, String afterId, Follower follower) {
			this.key = key;
			this.log = log;
			this.keeps = keeps;
			this.lastId = afterId;
			this.follower = follower;
		}

		void announced(Announcement announcement) {
			if (this.queued.incrementAndGet() > MAX_QUEUED) {
				this.queued.decrementAndGet();
				this.readWanted.set(true);
			}
			else {
				this.queue.add(announcement);
			}
			wake();
		}

		void readAgain() {
			this.readWanted.set(true);
			wake();
		}

		void wake() {
			if (!this.closed && this.wakeUps.getAndIncrement() == 0) {
				try {
					RedisSseBackplane.this.readers.execute(this::drain);
				}
				catch (RejectedExecutionException ex) {
					// Closing.
				}
			}
		}

		private void drain() {
			int served = this.wakeUps.get();
			while (true) {
				if (this.closed) {
					return;
				}
				serve();
				int left = this.wakeUps.addAndGet(-served);
				if (left == 0) {
					return;
				}
				served = left;
			}
		}

		private void serve() {
			boolean read = this.readWanted.getAndSet(false);
			String newestAnnounced = null;
			List<SseBackplaneEvent> events = new ArrayList<>();
			for (Announcement announcement = this.queue.poll(); announcement != null; announcement = this.queue.poll()) {
				this.queued.decrementAndGet();
				newestAnnounced = announcement.id();
				if (read || compare(announcement.id(), this.lastId) <= 0) {
					// Covered by the read to come, or already delivered.
					continue;
				}
				if (!announcement.previous().equals(this.lastId)) {
					// Something came in between that was not announced here: read the stream.
					read = true;
					continue;
				}
				SseBackplaneEvent event = decode(this.key, announcement.id(), announcement.fields());
				if (event != null) {
					events.add(event);
				}
				this.lastId = announcement.id();
			}
			flush(events);
			if (read) {
				read(newestAnnounced);
			}
		}

		/**
		 * Reads the stream after the last entry read.
		 * @param announcedBefore the newest id announced before the read, which it must reach
		 */
		private void read(@Nullable String announcedBefore) {
			try {
				List<ByteRecord> records;
				do {
					String after = this.lastId;
					records = call("read " + this.log, (connection) -> connection.streamCommands()
						.xRange(bytes(this.key), Range.of(Range.Bound.exclusive(after), Range.Bound.unbounded()),
								Limit.limit().count(READ_BATCH)));
					if (records == null) {
						records = List.of();
					}
					deliver(records, announcedBefore);
				}
				while (records.size() == READ_BATCH && !this.closed);
				if (announcedBefore != null && compare(announcedBefore, this.lastId) > 0) {
					// Announced, yet gone before it was read.
					this.follower.gap(announcedBefore);
					this.lastId = announcedBefore;
				}
				if (RedisSseBackplane.this.failingFollows.remove(this)) {
					logger.info("Reading " + this.log + " from Redis again after " + this.lastId);
				}
			}
			catch (SseBackplaneException ex) {
				if (RedisSseBackplane.this.failingFollows.add(this)) {
					logger.warn("Cannot read " + this.log + " from Redis; retrying every " + RETRY.toMillis()
							+ " ms: " + ex.getMessage());
				}
				this.readWanted.set(true);
				retryLater();
			}
		}

		private void deliver(List<ByteRecord> records, @Nullable String announcedBefore) {
			List<SseBackplaneEvent> events = new ArrayList<>(records.size());
			for (ByteRecord record : records) {
				String id = record.getId().getValue();
				String previous = Entries.previous(record.getValue());
				if (previous != null && !previous.equals(this.lastId)) {
					String lastMissing = lastMissing(previous, id, announcedBefore);
					if (lastMissing != null) {
						flush(events);
						this.follower.gap(lastMissing);
					}
				}
				SseBackplaneEvent event = decode(this.key, id, record.getValue());
				if (event != null) {
					events.add(event);
				}
				this.lastId = id;
			}
			flush(events);
		}

		/**
		 * What was lost before an entry that does not follow the last one read, or {@code null} if
		 * nothing was: entries trimmed while unread, or, when the stream started again (Redis
		 * restarted empty, say), entries announced that were not read.
		 */
		private @Nullable String lastMissing(String previous, String id, @Nullable String announcedBefore) {
			if (isId(previous) && compare(previous, this.lastId) > 0) {
				return previous;
			}
			if (announcedBefore != null && compare(announcedBefore, this.lastId) > 0
					&& compare(announcedBefore, id) < 0) {
				return announcedBefore;
			}
			return null;
		}

		private void flush(List<SseBackplaneEvent> events) {
			if (!events.isEmpty()) {
				this.follower.events(List.copyOf(events));
				events.clear();
			}
		}

		private void retryLater() {
			try {
				RedisSseBackplane.this.readers.schedule(this::wake, RETRY.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Closing.
			}
		}

		@Override
		public void close() {
			this.closed = true;
			RedisSseBackplane.this.failingFollows.remove(this);
			RedisSseBackplane.this.follows.computeIfPresent(this.key, (key, topicFollows) -> {
				topicFollows.remove(this);
				return topicFollows.isEmpty() ? null : topicFollows;
			});
		}

	}

}
