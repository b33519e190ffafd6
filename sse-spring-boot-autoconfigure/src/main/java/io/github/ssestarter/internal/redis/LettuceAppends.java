package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ssestarter.SseBackplaneException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Sends appends on Lettuce's shared connection without making their callers wait, in batches: one
 * batch is in flight at a time, and the appends that arrive meanwhile go together in the next
 * (up to {@link AppendBatch#MAX_APPENDS}), so that the busier the publishers, the fewer calls per
 * append. Only loaded when the connections are Lettuce's.
 */
final class LettuceAppends {

	private final RedisConnectionFactory connections;

	private final ScheduledExecutorService timer;

	private final Duration timeout;

	/** Appends not yet sent, in the order they were asked for. */
	private final Queue<Append> waiting = new ConcurrentLinkedQueue<>();

	/** Whether a batch is in flight; whoever sets it sends, and its completion sends the next. */
	private final AtomicBoolean sending = new AtomicBoolean();

	private volatile @Nullable RedisScriptingAsyncCommands<byte[], byte[]> commands;

	LettuceAppends(RedisConnectionFactory connections, ScheduledExecutorService timer) {
		this.connections = connections;
		this.timer = timer;
		this.timeout = Duration.ofMillis(((LettuceConnectionFactory) connections).getTimeout());
	}

	/** Whether the connections are Lettuce's; only asked when Lettuce is on the class path. */
	static boolean isAvailable(RedisConnectionFactory connections) {
		return connections instanceof LettuceConnectionFactory;
	}

	/** How long an append may wait for its answer, from when it is asked for. */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Sends an append with the next batch; its id completes the append's future. An append still
	 * waiting to be sent at its deadline fails without being sent.
	 * @return {@code false} if the connection takes no asynchronous commands: append otherwise
	 */
	boolean append(Append append) {
		if (commands() == null) {
			return false;
		}
		this.waiting.add(append);
		sendNext();
		return true;
	}

	private void sendNext() {
		while (!this.waiting.isEmpty() && this.sending.compareAndSet(false, true)) {
			AppendBatch batch = takeBatch();
			RedisScriptingAsyncCommands<byte[], byte[]> async = this.commands;
			if (batch != null && async != null) {
				send(async, batch, true);
				return;
			}
			if (batch != null) {
				batch.fail("the connection was closed", null);
			}
			this.sending.set(false);
		}
	}

	/** The next appends to send, failing those whose deadline passed; {@code null} if none is left. */
	private @Nullable AppendBatch takeBatch() {
		List<Append> appends = new ArrayList<>();
		int bytes = 0;
		long now = System.nanoTime();
		Append next;
		while (appends.size() < AppendBatch.MAX_APPENDS && (next = this.waiting.peek()) != null) {
			if (!appends.isEmpty() && bytes + next.size() > AppendBatch.MAX_BYTES) {
				break;
			}
			this.waiting.poll();
			if (next.deadline() - now <= 0) {
				next.id().completeExceptionally(new SseBackplaneException("Redis could not append to " + next.log()
						+ ": no answer within " + this.timeout.toMillis() + " ms", null));
				continue;
			}
			appends.add(next);
			bytes += next.size();
		}
		return appends.isEmpty() ? null : new AppendBatch(appends);
	}

	private void send(RedisScriptingAsyncCommands<byte[], byte[]> async, AppendBatch batch, boolean loadIfMissing) {
		RedisFuture<List<Object>> reply;
		try {
			reply = async.evalsha(AppendBatch.SCRIPT.getSha1(), ScriptOutputType.MULTI, batch.keys(), batch.values());
		}
		catch (RuntimeException ex) {
			batch.fail(String.valueOf(ex.getMessage()), ex);
			sent();
			return;
		}
		// Cancelled, it is not sent at all if it still waits for a connection: a publish that failed
		// must not be applied once Redis is back. The first append of a batch has the nearest deadline.
		long delay = Math.max(0, batch.appends().get(0).deadline() - System.nanoTime());
		ScheduledFuture<?> timeout = this.timer.schedule(() -> reply.cancel(true), delay, TimeUnit.NANOSECONDS);
		reply.whenComplete((result, failure) -> {
			timeout.cancel(false);
			if (failure == null && result != null) {
				batch.complete(result);
			}
			else if (loadIfMissing && failure != null && String.valueOf(failure.getMessage()).contains("NOSCRIPT")) {
				// Redis restarted or its scripts were flushed: this batch did not run.
				async.scriptLoad(AppendBatch.SCRIPT.getScriptAsString().getBytes(StandardCharsets.UTF_8))
					.whenComplete((sha, loadFailure) -> send(async, batch, false));
				return;
			}
			else {
				batch.fail((failure instanceof CancellationException)
						? "no answer within " + this.timeout.toMillis() + " ms"
						: String.valueOf((failure != null) ? failure.getMessage() : "no ids"), failure);
			}
			sent();
		});
	}

	/** The batch in flight was answered or failed: the next may go. */
	private void sent() {
		this.sending.set(false);
		sendNext();
	}

	@SuppressWarnings("unchecked")
	private @Nullable RedisScriptingAsyncCommands<byte[], byte[]> commands() {
		RedisScriptingAsyncCommands<byte[], byte[]> async = this.commands;
		if (async instanceof RedisAsyncCommands<?, ?> commands && !commands.getStatefulConnection().isOpen()) {
			// The application's connection factory was stopped and started again: its shared
			// connection is a new one.
			async = null;
		}
		if (async == null) {
			try (RedisConnection connection = this.connections.getConnection()) {
				if (connection.getNativeConnection() instanceof RedisScriptingAsyncCommands<?, ?> nativeCommands) {
					async = (RedisScriptingAsyncCommands<byte[], byte[]>) nativeCommands;
					this.commands = async;
				}
			}
		}
		return async;
	}

}
