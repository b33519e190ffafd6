package io.github.ssestarter.internal.redis;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The subscription to announcements through Spring Data Redis's listener container, for a client
 * whose subscriptions do not block (Lettuce): the container re-establishes it after Redis was away.
 */
final class ContainerSubscription implements AnnouncementSubscription {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private final RedisConnectionFactory connections;

	/** Subscribes, so that the caller does not wait for Redis. */
	private final Executor executor;

	private final Consumer<byte[]> announced;

	private final Runnable subscribed;

	private final AtomicBoolean listening = new AtomicBoolean();

	private volatile @Nullable RedisMessageListenerContainer container;

	/**
	 * Creates the subscription, not yet made.
	 * @param connections the application's Redis connections
	 * @param executor subscribes
	 * @param announced receives each announcement's message
	 * @param subscribed runs once subscribed, for whatever was announced before
	 */
	ContainerSubscription(RedisConnectionFactory connections, Executor executor, Consumer<byte[]> announced,
			Runnable subscribed) {
		this.connections = connections;
		this.executor = executor;
		this.announced = announced;
		this.subscribed = subscribed;
	}

	@Override
	public void subscribe() {
		if (!this.listening.compareAndSet(false, true)) {
			return;
		}
		this.executor.execute(() -> {
			RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
			listener.setConnectionFactory(this.connections);
			// Announcements only wake readers: handled where they arrive, in order.
			listener.setTaskExecutor(Runnable::run);
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

	@Override
	public void stop() {
		RedisMessageListenerContainer listener = this.container;
		this.container = null;
		destroy(listener);
		this.listening.set(false);
	}

	@Override
	public void close() {
		destroy(this.container);
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
