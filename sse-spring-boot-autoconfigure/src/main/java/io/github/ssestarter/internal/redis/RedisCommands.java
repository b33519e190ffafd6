package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.ssestarter.SseBackplaneException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

/**
 * Runs the backplane's commands on the application's Redis connections: a command whose answer is
 * needed fails with an {@link SseBackplaneException}, while a failure of commands that need no answer
 * is only logged.
 */
final class RedisCommands {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private final RedisConnectionFactory connections;

	private final StringRedisTemplate template;

	RedisCommands(RedisConnectionFactory connections) {
		this.connections = connections;
		this.template = new StringRedisTemplate(connections);
	}

	/**
	 * Runs a command on a connection of its own and returns the answer.
	 * @param what what the command does, for the failure's message: {@code read topic 'orders'}, say
	 * @param action the command
	 * @return the answer
	 * @throws SseBackplaneException if Redis does not answer
	 */
	<T> T call(String what, Function<RedisConnection, T> action) {
		try (RedisConnection connection = this.connections.getConnection()) {
			return action.apply(connection);
		}
		catch (RuntimeException ex) {
			throw new SseBackplaneException("Redis could not " + what + ": " + ex.getMessage(), ex);
		}
	}

	/** Sends commands that need no answer; a failure is only logged, the caller does it again later. */
	void pipelined(Consumer<RedisConnection> commands) {
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

	/** Commands on string values, for callers that handle a failure themselves. */
	ValueOperations<String, String> values() {
		return this.template.opsForValue();
	}

	/** A key or an argument as Redis takes it. */
	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
