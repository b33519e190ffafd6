package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.ClassUtils;

import static io.github.ssestarter.internal.redis.RedisCommands.bytes;

/**
 * Appends events to Redis streams with one script, which also trims the stream, renews its expiry,
 * and numbers and announces the entry (see {@link Announcement}). With Lettuce, appends are sent
 * without waiting for the ones before, in batches of those waiting (see {@link AppendBatch}), at
 * most 10,000 waiting or in flight; with other clients an append waits for its answer.
 */
final class StreamAppends {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(
			"io.lettuce.core.api.async.RedisScriptingAsyncCommands", StreamAppends.class.getClassLoader());

	/** Most appends sent and not yet answered; more are refused. */
	private static final int MAX_APPENDS_IN_FLIGHT = 10_000;

	private final RedisConnectionFactory connections;

	/** Places for appends sent and not yet answered. */
	private final Semaphore appendsInFlight = new Semaphore(MAX_APPENDS_IN_FLIGHT);

	/** Sends appends without waiting, when the connections are Lettuce's; else {@code null}. */
	private final @Nullable LettuceAppends lettuce;

	/** Why the last append failed, {@code null} if it did not. */
	private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();

	/**
	 * Creates the appending side.
	 * @param connections the application's Redis connections
	 * @param timer times out appends sent without waiting
	 */
	StreamAppends(RedisConnectionFactory connections, ScheduledExecutorService timer) {
		this.connections = connections;
		this.lettuce = (LETTUCE_PRESENT && LettuceAppends.isAvailable(connections))
				? new LettuceAppends(connections, timer) : null;
	}

	/**
	 * Appends an event to a Redis stream. An append not answered within the command timeout fails,
	 * and is not sent later if it was still waiting for a connection.
	 * @param key the stream's key
	 * @param log what is appended to, for messages: {@code topic 'orders'}, say
	 * @param event the event
	 * @param maxLength about the most entries the stream keeps
	 * @param expiry how long the stream is kept after this append
	 * @param trimByAge whether entries older than the expiry are trimmed too
	 * @return completed with the entry's id, or with an {@link SseBackplaneException}
	 */
	CompletableFuture<String> append(String key, String log, SseBackplaneEvent event, int maxLength, Duration expiry,
			boolean trimByAge) {
		List<String> fields = new ArrayList<>();
		Entries.put(fields, event);
		byte[][] arguments = new byte[4 + fields.size()][];
		arguments[0] = bytes(Integer.toString(maxLength));
		arguments[1] = bytes(Long.toString(Math.max(1, expiry.toMillis())));
		arguments[2] = bytes(trimByAge ? "1" : "0");
		arguments[3] = bytes(Integer.toString(fields.size()));
		for (int i = 0; i < fields.size(); i++) {
			arguments[4 + i] = bytes(fields.get(i));
		}
		CompletableFuture<String> id = new CompletableFuture<>();
		if (!this.appendsInFlight.tryAcquire()) {
			id.completeExceptionally(new SseBackplaneException("Redis could not append to " + log + ": "
					+ MAX_APPENDS_IN_FLIGHT + " appends already wait for it", null));
			return id;
		}
		id.whenComplete((result, failure) -> {
			this.appendsInFlight.release();
			this.lastFailure.set((failure != null) ? failure.toString() : null);
		});
		try {
			LettuceAppends lettuce = this.lettuce;
			long deadline = System.nanoTime() + ((lettuce != null) ? lettuce.timeout().toNanos() : 0);
			Append append = new Append(bytes(key), log, arguments, id, deadline);
			if (lettuce == null || !lettuce.append(append)) {
				appendWaiting(new AppendBatch(List.of(append)));
			}
		}
		catch (RuntimeException ex) {
			id.completeExceptionally(
					new SseBackplaneException("Redis could not append to " + log + ": " + ex.getMessage(), ex));
		}
		return id;
	}

	/**
	 * Why the last append failed.
	 * @return the failure, or {@code null} if the last append succeeded
	 */
	@Nullable String failure() {
		return this.lastFailure.get();
	}

	/** Appends and waits for the answer, for Redis clients other than Lettuce. */
	private void appendWaiting(AppendBatch batch) {
		byte[][] keys = batch.keys();
		byte[][] values = batch.values();
		byte[][] keysAndValues = new byte[keys.length + values.length][];
		System.arraycopy(keys, 0, keysAndValues, 0, keys.length);
		System.arraycopy(values, 0, keysAndValues, keys.length, values.length);
		try (RedisConnection connection = this.connections.getConnection()) {
			List<Object> result;
			try {
				result = connection.scriptingCommands().evalSha(AppendBatch.SCRIPT.getSha1(), ReturnType.MULTI,
						keys.length, keysAndValues);
			}
			catch (RuntimeException ex) {
				if (!String.valueOf(ex.getMessage()).contains("NOSCRIPT")) {
					throw ex;
				}
				result = connection.scriptingCommands().eval(bytes(AppendBatch.SCRIPT.getScriptAsString()),
						ReturnType.MULTI, keys.length, keysAndValues);
			}
			if (result == null) {
				throw new IllegalStateException("Redis gave no id");
			}
			batch.complete(result);
		}
	}

}
