package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.Subscription;
import org.springframework.data.redis.connection.SubscriptionListener;

/**
 * The subscription to announcements for a client whose subscribe blocks the thread that makes it
 * (Jedis), held by a thread of its own, {@code sse-redis-announcements}: made again a retry period
 * after Redis dropped it, until stopped. Spring Data Redis's listener container is not used for
 * these clients: it made such a subscription inside its start, holding its lock for good, and its
 * recovery waited for ever on an unsubscription that never came.
 */
final class BlockingSubscription implements AnnouncementSubscription {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	private final RedisConnectionFactory connections;

	private final byte[] channel;

	private final Consumer<byte[]> received;

	private final Runnable subscribed;

	private final Duration retry;

	private final Object lock = new Object();

	/** The thread holding the subscription, {@code null} when stopped; guarded by the lock. */
	private @Nullable Thread thread;

	/** The connection of the thread holding the subscription, if it has one; guarded by the lock. */
	private @Nullable RedisConnection connection;

	/** Whether the last attempt failed, so that an outage is logged once; only the thread uses it. */
	private boolean failing;

	/**
	 * Creates the subscription, not yet made.
	 * @param connections the application's Redis connections
	 * @param channel the announcements' channel
	 * @param received receives each message, on the subscription's thread
	 * @param subscribed runs each time the subscription takes effect, for whatever was missed meanwhile
	 * @param retry how long to wait after a failure before subscribing again
	 */
	BlockingSubscription(RedisConnectionFactory connections, byte[] channel, Consumer<byte[]> received,
			Runnable subscribed, Duration retry) {
		this.connections = connections;
		this.channel = channel.clone();
		this.received = received;
		this.subscribed = subscribed;
		this.retry = retry;
	}

	@Override
	public void subscribe() {
		synchronized (this.lock) {
			if (this.thread != null) {
				return;
			}
			Thread holder = new Thread(this::run, "sse-redis-announcements");
			holder.setDaemon(true);
			this.thread = holder;
			holder.start();
		}
	}

	/**
	 * Unsubscribes and lets the thread end, without waiting for Redis: a subscription being made
	 * ends as soon as Redis confirms it, and one Redis does not answer ends with its connection.
	 */
	@Override
	public void stop() {
		synchronized (this.lock) {
			Thread holder = this.thread;
			this.thread = null;
			if (holder != null) {
				holder.interrupt();
			}
			unsubscribe(this.connection);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void run() {
		Thread current = Thread.currentThread();
		while (holds(current)) {
			try {
				subscribeUntilDropped(current);
			}
			catch (RuntimeException ex) {
				if (holds(current) && !this.failing) {
					this.failing = true;
					logger.warn("No subscription to Redis announcements; subscribing again every "
							+ this.retry.toMillis() + " ms: " + ex.getMessage());
				}
			}
			if (!pause()) {
				return;
			}
		}
	}

	/** Subscribes and returns once unsubscribed; fails when Redis drops or refuses the subscription. */
	private void subscribeUntilDropped(Thread current) {
		try (RedisConnection subscribing = this.connections.getConnection()) {
			synchronized (this.lock) {
				if (this.thread != current) {
					return;
				}
				this.connection = subscribing;
			}
			try {
				subscribing.subscribe(new Listener(current, subscribing), this.channel);
			}
			finally {
				synchronized (this.lock) {
					if (this.connection == subscribing) {
						this.connection = null;
					}
				}
			}
		}
	}

	private boolean holds(Thread current) {
		synchronized (this.lock) {
			return this.thread == current;
		}
	}

	/** Waits the retry period; {@code false} if stopped meanwhile. */
	private boolean pause() {
		try {
			TimeUnit.MILLISECONDS.sleep(this.retry.toMillis());
			return holds(Thread.currentThread());
		}
		catch (InterruptedException ex) {
			return false;
		}
	}

	private static void unsubscribe(@Nullable RedisConnection connection) {
		Subscription subscription = (connection != null) ? connection.getSubscription() : null;
		if (subscription != null) {
			try {
				subscription.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not unsubscribe from Redis announcements", ex);
			}
		}
	}

	/** Hears one attempt's subscription, on the thread that made it. */
	private final class Listener implements MessageListener, SubscriptionListener {

		private final Thread owner;

		private final RedisConnection subscribing;

		Listener(Thread owner, RedisConnection subscribing) {
			this.owner = owner;
			this.subscribing = subscribing;
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			if (!holds(this.owner)) {
				// Stopped while subscribing.
				unsubscribe(this.subscribing);
				return;
			}
			if (BlockingSubscription.this.failing) {
				BlockingSubscription.this.failing = false;
				logger.info("Subscribed to Redis announcements again");
			}
			BlockingSubscription.this.subscribed.run();
		}

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			BlockingSubscription.this.received.accept(message.getBody());
		}

	}

}
