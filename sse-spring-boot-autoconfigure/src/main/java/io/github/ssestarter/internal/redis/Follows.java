package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.ssestarter.internal.broadcast.SseBackplane.Follower;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import static io.github.ssestarter.internal.redis.RedisCommands.bytes;

/**
 * The follows of an instance, by the key of the Redis stream each reads, and what wakes them: an
 * announced entry wakes the follows of its stream; an announcement that went missing (Redis away,
 * the subscription being re-established), noticed by the announcements' count or by polling it,
 * makes every follow read its stream again after the last entry it delivered. Followed topics'
 * streams are kept from expiring while followed.
 */
final class Follows {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	/** How long to wait before trying Redis again when it did not answer. */
	static final Duration RETRY = Duration.ofMillis(500);

	private final RedisCommands commands;

	private final StreamReads reads;

	/** Serves the follows, and polls and renews expiries when asked to. */
	private final ScheduledExecutorService readers;

	/** How long a followed topic's stream is kept from each renewal on. */
	private final Duration expiry;

	private final AnnouncementSubscription subscription;

	/** Follows by the key of the Redis stream they read. */
	private final Map<String, Set<Follow>> follows = new ConcurrentHashMap<>();

	/** The count of the last announcement received, 0 before the first. */
	private final AtomicLong announced = new AtomicLong();

	/** The count the previous poll read. */
	private long polled = -1;

	private final AtomicReference<@Nullable String> pollFailure = new AtomicReference<>();

	private final Set<Follow> failingFollows = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the follows of an instance, none yet.
	 * @param connections the application's Redis connections, for the subscription to announcements
	 * @param commands runs the commands of polls and renewals
	 * @param reads reads the streams followed
	 * @param readers the threads that serve follows and subscribe to announcements
	 * @param expiry how long a followed topic's stream is kept from each renewal on
	 */
	Follows(RedisConnectionFactory connections, RedisCommands commands, StreamReads reads,
			ScheduledExecutorService readers, Duration expiry) {
		this.commands = commands;
		this.reads = reads;
		this.readers = readers;
		this.expiry = expiry;
		this.subscription = AnnouncementSubscription.of(connections, readers, this::announced, this::readAll);
	}

	/**
	 * Follows a Redis stream, subscribing to announcements if none is followed yet.
	 * @param key the stream's key
	 * @param log what is read, for messages: {@code topic 'orders'}, say
	 * @param keeps whether following keeps the stream from expiring
	 * @param afterId the id after which to deliver
	 * @param follower receives the events
	 * @return the handle that stops following
	 */
	AutoCloseable follow(String key, String log, boolean keeps, String afterId, Follower follower) {
		Follow follow = new Follow(this, this.reads, this.readers, key, log, keeps, afterId, follower);
		this.follows.computeIfAbsent(key, (ignored) -> new CopyOnWriteArraySet<>()).add(follow);
		this.subscription.subscribe();
		follow.wake();
		return follow;
	}

	/**
	 * The keys of the streams followed.
	 * @return the keys, a view
	 */
	Set<String> keys() {
		return Collections.unmodifiableSet(this.follows.keySet());
	}

	/**
	 * Why followed streams may not be read: Redis did not answer the last poll, or a follow cannot
	 * read its stream.
	 * @return the failure, or {@code null} if there is none
	 */
	@Nullable String failure() {
		String failure = this.pollFailure.get();
		if (failure == null && !this.failingFollows.isEmpty()) {
			failure = "cannot read " + this.failingFollows.iterator().next().log();
		}
		return failure;
	}

	/**
	 * Notes that a follow cannot read its stream.
	 * @return whether it could until now
	 */
	boolean cannotRead(Follow follow) {
		return this.failingFollows.add(follow);
	}

	/**
	 * Notes that a follow read its stream.
	 * @return whether it could not until now
	 */
	boolean readsAgain(Follow follow) {
		return this.failingFollows.remove(follow);
	}

	/** Forgets a follow that was closed. */
	void closed(Follow follow) {
		this.failingFollows.remove(follow);
		this.follows.computeIfPresent(follow.key(), (key, keyFollows) -> {
			keyFollows.remove(follow);
			return keyFollows.isEmpty() ? null : keyFollows;
		});
	}

	/**
	 * Compares the announcement count with the last announcement received: an announcement not
	 * received within a poll went missing (the subscription was down), so every followed stream
	 * reads again.
	 */
	void poll() {
		if (this.follows.isEmpty()) {
			return;
		}
		try {
			String value = this.commands.values().get(Announcement.COUNTER_KEY);
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
	void renewExpiries() {
		if (this.follows.isEmpty()) {
			return;
		}
		List<String> keys = new ArrayList<>();
		this.follows.forEach((key, keyFollows) -> {
			if (keyFollows.stream().anyMatch(Follow::keeps)) {
				keys.add(key);
			}
		});
		long ttl = this.expiry.toMillis();
		// Redis being away is reported by the poll; expiries are renewed on the next round.
		this.commands
			.pipelined((connection) -> keys.forEach((key) -> connection.keyCommands().pExpire(bytes(key), ttl)));
	}

	/**
	 * Stops listening to announcements, as the application's Redis connections are about to stop;
	 * the next follow subscribes again.
	 */
	void stop() {
		this.subscription.stop();
	}

	/** Stops listening to announcements; the follows are not used after this. */
	void close() {
		this.subscription.close();
	}

	private void announced(byte[] message) {
		List<Announcement> announcements = Announcement.parseAll(message);
		if (announcements == null) {
			readAll();
			return;
		}
		for (Announcement announcement : announcements) {
			announced(announcement);
		}
	}

	private void announced(Announcement announcement) {
		long before = this.announced.getAndSet(announcement.count());
		if (before != 0 && announcement.count() != before + 1) {
			// An announcement went missing, for a stream that may be followed here.
			readAll();
		}
		Set<Follow> keyFollows = this.follows.get(announcement.key());
		if (keyFollows != null) {
			for (Follow follow : keyFollows) {
				follow.announced(announcement);
			}
		}
	}

	/** Makes every follow read its stream after the last entry it read. */
	private void readAll() {
		for (Set<Follow> keyFollows : this.follows.values()) {
			for (Follow follow : keyFollows) {
				follow.readAgain();
			}
		}
	}

}
