package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

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
 * channel, two threads that deliver announced entries (each topic's in order, one at a time), and
 * the application's shared Redis connection, on which appends that wait go together in one script
 * call. Announcements are numbered: one that went missing (Redis away, a
 * subscription being re-established) makes every followed topic read its stream again after the
 * last entry it delivered, so no accepted event is lost.
 *
 * <p>This class composes the parts that append, read and follow streams, and owns their threads
 * and life cycle.
 */
public final class RedisSseBackplane implements SseBackplane, AutoCloseable {

	private static final String KEY_PREFIX = "sse:topic:";

	/** How often the announcement count is compared with the announcements received. */
	private static final Duration POLL = Duration.ofSeconds(1);

	private final int capacity;

	private final Duration maxAge;

	private final RedisCommands commands;

	/** Reads followed topics, polls the announcement count, renews expiries. */
	private final ScheduledExecutorService readers;

	private final StreamAppends appends;

	private final StreamReads reads;

	private final Follows follows;

	private final StreamLogs streamLogs;

	private volatile boolean running;

	/**
	 * Creates a backplane.
	 * @param connections the application's Redis connections
	 * @param capacity about the most events each topic's stream keeps
	 * @param maxAge how long an event is kept, and how long a topic nobody uses lives on
	 */
	public RedisSseBackplane(RedisConnectionFactory connections, int capacity, Duration maxAge) {
		this.commands = new RedisCommands(connections);
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
		this.appends = new StreamAppends(connections, executor);
		this.reads = new StreamReads(this.commands);
		this.follows = new Follows(connections, this.commands, this.reads, executor, this.maxAge);
		this.streamLogs = new RedisStreamLogs(this.appends, this.reads, this.follows, this.commands);
		long pollMillis = POLL.toMillis();
		this.readers.scheduleWithFixedDelay(this.follows::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
		long renewMillis = Math.max(1000, this.maxAge.toMillis() / 3);
		this.readers.scheduleWithFixedDelay(this.follows::renewExpiries, renewMillis, renewMillis,
				TimeUnit.MILLISECONDS);
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
	 * <p>With Lettuce, appends are sent without waiting for the ones before: those that arrive
	 * while a script call is in flight go together in the next; at most 10,000 may wait or be in
	 * flight, more are refused at once. An append
	 * not answered within the command timeout fails, and is not sent later if it was still waiting
	 * for a connection. With other clients an append waits for its answer.
	 */
	@Override
	public CompletableFuture<String> appendAsync(String topic, SseBackplaneEvent event) {
		return this.appends.append(KEY_PREFIX + topic, log(topic), event, this.capacity, this.maxAge, true);
	}

	@Override
	public String newestId(String topic) {
		return this.reads.newestId(KEY_PREFIX + topic, log(topic));
	}

	@Override
	public Backlog backlog(String topic, int max) {
		return this.reads.backlog(KEY_PREFIX + topic, log(topic), max);
	}

	@Override
	public AutoCloseable follow(String topic, String afterId, Follower follower) {
		return this.follows.follow(KEY_PREFIX + topic, log(topic), true, afterId, follower);
	}

	@Override
	public StreamLogs streamLogs() {
		return this.streamLogs;
	}

	@Override
	public boolean isId(String id) {
		return EntryIds.isId(id);
	}

	@Override
	public int compare(String first, String second) {
		return EntryIds.compare(first, second);
	}

	@Override
	public Instant timeOf(String id) {
		return EntryIds.timeOf(id);
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
			failure = this.follows.failure();
		}
		if (failure == null) {
			failure = this.appends.failure();
		}
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("type", "redis");
		state.put("status", (failure != null) ? "DOWN" : "UP");
		if (failure != null) {
			state.put("error", failure);
		}
		int followedTopics = (int) this.follows.keys().stream().filter((key) -> key.startsWith(KEY_PREFIX)).count();
		state.put("followedTopics", followedTopics);
		state.put("followedStreams", this.follows.keys().size() - followedTopics);
		state.put("skippedEntries", this.reads.skippedEntries());
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
		this.follows.stop();
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
		this.follows.close();
		this.readers.shutdownNow();
	}

	private @Nullable String ping() {
		try {
			this.commands.call("answer", RedisConnection::ping);
			return null;
		}
		catch (SseBackplaneException ex) {
			return ex.getMessage();
		}
	}

	/** What a topic is called in messages. */
	private static String log(String topic) {
		return "topic '" + topic + "'";
	}

}
