package io.github.ssestarter.internal.redis;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ConnectionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The one subscription of an instance to the channel appends are announced on: made when first
 * asked for, re-established by itself after Redis was away, and ended when the application's Redis
 * connections stop. Announcements are passed on in order, on the thread they arrive on.
 * <p>A client whose subscriptions block the thread that makes them (Jedis) gets a thread of its
 * own, {@code sse-redis-announcements}, which also schedules the retries while Redis is away.
 */
final class AnnouncementSubscription {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private final RedisConnectionFactory connections;

	/** Subscribes, so that the caller does not wait for Redis. */
	private final Executor executor;

	private final Consumer<byte[]> announced;

	private final Runnable subscribed;

	private final AtomicBoolean listening = new AtomicBoolean();

	/** Holds a blocking client's subscription; {@code null} for a client that does not block (Lettuce). */
	private final @Nullable ScheduledThreadPoolExecutor blockingSubscriber;

	private volatile @Nullable RedisMessageListenerContainer container;

	/**
	 * Creates the subscription, not yet made.
	 * @param connections the application's Redis connections
	 * @param executor subscribes
	 * @param announced receives each announcement's message
	 * @param subscribed runs once subscribed, for whatever was announced before
	 */
	AnnouncementSubscription(RedisConnectionFactory connections, Executor executor, Consumer<byte[]> announced,
			Runnable subscribed) {
		this.connections = connections;
		this.executor = executor;
		this.announced = announced;
		this.subscribed = subscribed;
		this.blockingSubscriber = ConnectionUtils.isAsync(connections) ? null : blockingSubscriber();
	}

	private static ScheduledThreadPoolExecutor blockingSubscriber() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sse-redis-announcements");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** Subscribes, unless subscribed already. */
	void subscribe() {
		if (!this.listening.compareAndSet(false, true)) {
			return;
		}
		this.executor.execute(() -> {
			RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
			listener.setConnectionFactory(this.connections);
			// Announcements only wake readers: handled where they arrive, in order.
			listener.setTaskExecutor(Runnable::run);
			if (this.blockingSubscriber != null) {
				// Else the subscription would block the container's start, holding its lock for good.
				listener.setSubscriptionExecutor(this.blockingSubscriber);
			}
			listener.setRecoveryInterval(Follows.RETRY.toMillis());
			listener.addMessageListener((message, pattern) -> this.announced.accept(message.getBody()),
					new ChannelTopic(Announcement.CHANNEL));
			listener.afterPropertiesSet();
			this.container = listener;
			try {
				listener.start();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot subscribe to Redis announcements yet; retrying every " + Follows.RETRY.toMillis()
						+ " ms: " + ex.getMessage());
			}
			// Whatever was announced before the subscription took effect.
			this.subscribed.run();
		});
	}

	/**
	 * Unsubscribes, as the application's Redis connections are about to stop; {@link #subscribe()}
	 * subscribes again.
	 */
	void stop() {
		RedisMessageListenerContainer listener = this.container;
		this.container = null;
		destroy(listener);
		this.listening.set(false);
	}

	/** Unsubscribes for good. */
	void close() {
		destroy(this.container);
		if (this.blockingSubscriber != null) {
			this.blockingSubscriber.shutdownNow();
		}
	}

	private void destroy(@Nullable RedisMessageListenerContainer listener) {
		if (listener != null) {
			try {
				listener.destroy();
			}
			catch (Exception ex) {
				logger.debug("Could not stop listening to Redis announcements", ex);
			}
		}
	}

}
