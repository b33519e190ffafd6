package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.SseBackplaneException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Sends appends on Lettuce's shared connection without waiting for the ones before, so that
 * appends in flight share round trips. Only loaded when the connections are Lettuce's.
 */
final class LettuceAppends {

	private final RedisConnectionFactory connections;

	private final RedisScript<String> script;

	private final ScheduledExecutorService timer;

	private final Duration timeout;

	private volatile @Nullable RedisScriptingAsyncCommands<byte[], byte[]> commands;

	LettuceAppends(RedisConnectionFactory connections, RedisScript<String> script, ScheduledExecutorService timer) {
		this.connections = connections;
		this.script = script;
		this.timer = timer;
		this.timeout = Duration.ofMillis(((LettuceConnectionFactory) connections).getTimeout());
	}

	/** Whether the connections are Lettuce's; only asked when Lettuce is on the class path. */
	static boolean isAvailable(RedisConnectionFactory connections) {
		return connections instanceof LettuceConnectionFactory;
	}

	/**
	 * Sends an append of the script; its id completes the future.
	 * @return {@code false} if the connection takes no asynchronous commands: append otherwise
	 */
	boolean append(String log, byte[][] keys, byte[][] values, CompletableFuture<String> id) {
		RedisScriptingAsyncCommands<byte[], byte[]> async = commands();
		if (async == null) {
			return false;
		}
		send(async, log, keys, values, id, true);
		return true;
	}

	private void send(RedisScriptingAsyncCommands<byte[], byte[]> async, String log, byte[][] keys, byte[][] values,
			CompletableFuture<String> id, boolean loadIfMissing) {
		RedisFuture<byte[]> reply = async.evalsha(this.script.getSha1(), ScriptOutputType.VALUE, keys, values);
		// Cancelled, it is not sent at all if it still waits for a connection: a publish that failed
		// must not be applied once Redis is back.
		ScheduledFuture<?> timeout = this.timer.schedule(() -> reply.cancel(true), this.timeout.toMillis(),
				TimeUnit.MILLISECONDS);
		reply.whenComplete((result, failure) -> {
			timeout.cancel(false);
			if (failure == null && result != null) {
				id.complete(new String(result, StandardCharsets.US_ASCII));
			}
			else if (loadIfMissing && failure != null && String.valueOf(failure.getMessage()).contains("NOSCRIPT")) {
				// Redis restarted or its scripts were flushed: this one did not run.
				async.scriptLoad(this.script.getScriptAsString().getBytes(StandardCharsets.UTF_8))
					.whenComplete((sha, loadFailure) -> send(async, log, keys, values, id, false));
			}
			else {
				String why = (failure instanceof CancellationException)
						? "no answer within " + this.timeout.toMillis() + " ms"
						: String.valueOf((failure != null) ? failure.getMessage() : "no id");
				id.completeExceptionally(
						new SseBackplaneException("Redis could not append to " + log + ": " + why, failure));
			}
		});
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
