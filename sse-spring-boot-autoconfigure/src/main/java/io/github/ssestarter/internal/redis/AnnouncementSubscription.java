package io.github.ssestarter.internal.redis;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.ConnectionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The one subscription of an instance to the channel appends are announced on: made when first
 * asked for, re-established by itself after Redis was away, and ended when the application's Redis
 * connections stop. Announcements are passed on in order, on the thread they arrive on.
 */
interface AnnouncementSubscription {

	/**
	 * The subscription that suits the client: through the listener container for one whose
	 * subscriptions do not block (Lettuce), on a thread of its own for one whose do (Jedis).
	 * @param connections the application's Redis connections
	 * @param executor makes a non-blocking subscription, so that the caller does not wait for Redis
	 * @param announced receives each announcement's message
	 * @param subscribed runs once subscribed, for whatever was announced before
	 * @return the subscription, not yet made
	 */
	static AnnouncementSubscription of(RedisConnectionFactory connections, Executor executor,
			Consumer<byte[]> announced, Runnable subscribed) {
		return ConnectionUtils.isAsync(connections)
				? new ContainerSubscription(connections, executor, announced, subscribed)
				: new BlockingSubscription(connections, RedisCommands.bytes(Announcement.CHANNEL), announced,
						subscribed, Follows.RETRY);
	}

	/** Subscribes, unless subscribed already. */
	void subscribe();

	/**
	 * Unsubscribes, as the application's Redis connections are about to stop; {@link #subscribe()}
	 * subscribes again.
	 */
	void stop();

	/** Unsubscribes for good. */
	void close();

}
