package io.github.ssestarter.internal.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.internal.broadcast.SseBackplane.Follower;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.stream.ByteRecord;

/**
 * One follower of one Redis stream. An announced entry that follows the last one delivered is
 * delivered as announced; otherwise (an announcement missed, the follow just started) the stream is
 * read after the last entry read. Never two at once, in order.
 */
final class Follow implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSseBackplane.class);

	/** Most announced entries a follow holds before it reads the stream instead. */
	private static final int MAX_QUEUED = 10_000;

	private static final int READ_BATCH = 512;

	private final Follows follows;

	private final StreamReads reads;

	/** Serves the follow, and tries again when Redis did not answer. */
	private final ScheduledExecutorService readers;

	/** The key of the Redis stream read. */
	private final String key;

	/** What is read, for messages: {@code topic 'orders'}, say. */
	private final String log;

	/** Whether following keeps the stream from expiring. */
	private final boolean keeps;

	private final Follower follower;

	/** Announced entries not yet served, at most {@link #MAX_QUEUED}: beyond, the stream is read. */
	private final Queue<Announcement> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicBoolean readWanted = new AtomicBoolean(true);

	/** Wake-ups not yet served; the reader runs while there are any. */
	private final AtomicInteger wakeUps = new AtomicInteger();

	private volatile boolean closed;

	/** The id of the last entry read, delivered or skipped; only touched by the reader. */
	private String lastId;

	/**
	 * Creates a follow; it does nothing until woken.
	 * @param follows the follows it is one of, told when it cannot read and when it is closed
	 * @param reads reads the stream
	 * @param readers the threads that serve it
	 * @param key the key of the Redis stream read
	 * @param log what is read, for messages
	 * @param keeps whether following keeps the stream from expiring
	 * @param afterId the id after which to deliver
	 * @param follower receives the events
	 */
	Follow(Follows follows, StreamReads reads, ScheduledExecutorService readers, String key, String log,
			boolean keeps, String afterId, Follower follower) {
		this.follows = follows;
		this.reads = reads;
		this.readers = readers;
		this.key = key;
		this.log = log;
		this.keeps = keeps;
		this.lastId = afterId;
		this.follower = follower;
	}

	String key() {
		return this.key;
	}

	String log() {
		return this.log;
	}

	boolean keeps() {
		return this.keeps;
	}

	void announced(Announcement announcement) {
		if (this.queued.incrementAndGet() > MAX_QUEUED) {
			this.queued.decrementAndGet();
			this.readWanted.set(true);
		}
		else {
			this.queue.add(announcement);
		}
		wake();
	}

	void readAgain() {
		this.readWanted.set(true);
		wake();
	}

	void wake() {
		if (!this.closed && this.wakeUps.getAndIncrement() == 0) {
			try {
				this.readers.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// Closing.
			}
		}
	}

	private void drain() {
		int served = this.wakeUps.get();
		while (true) {
			if (this.closed) {
				return;
			}
			serve();
			int left = this.wakeUps.addAndGet(-served);
			if (left == 0) {
				return;
			}
			served = left;
		}
	}

	private void serve() {
		boolean read = this.readWanted.getAndSet(false);
		String newestAnnounced = null;
		List<SseBackplaneEvent> events = new ArrayList<>();
		for (Announcement announcement = this.queue.poll(); announcement != null; announcement = this.queue.poll()) {
			this.queued.decrementAndGet();
			newestAnnounced = announcement.id();
			if (read || EntryIds.compare(announcement.id(), this.lastId) <= 0) {
				// Covered by the read to come, or already delivered.
				continue;
			}
			if (!announcement.previous().equals(this.lastId)) {
				// Something came in between that was not announced here: read the stream.
				read = true;
				continue;
			}
			SseBackplaneEvent event = this.reads.decode(this.key, announcement.id(), announcement.fields());
			if (event != null) {
				events.add(event);
			}
			this.lastId = announcement.id();
		}
		flush(events);
		if (read) {
			read(newestAnnounced);
		}
	}

	/**
	 * Reads the stream after the last entry read.
	 * @param announcedBefore the newest id announced before the read, which it must reach
	 */
	private void read(@Nullable String announcedBefore) {
		try {
			List<ByteRecord> records;
			do {
				records = this.reads.after(this.key, this.log, this.lastId, READ_BATCH);
				deliver(records, announcedBefore);
			}
			while (records.size() == READ_BATCH && !this.closed);
			if (announcedBefore != null && EntryIds.compare(announcedBefore, this.lastId) > 0) {
				// Announced, yet gone before it was read.
				this.follower.gap(announcedBefore);
				this.lastId = announcedBefore;
			}
			if (this.follows.readsAgain(this)) {
				logger.info("Reading " + this.log + " from Redis again after " + this.lastId);
			}
		}
		catch (SseBackplaneException ex) {
			if (this.follows.cannotRead(this)) {
				logger.warn("Cannot read " + this.log + " from Redis; retrying every " + Follows.RETRY.toMillis()
						+ " ms: " + ex.getMessage());
			}
			this.readWanted.set(true);
			retryLater();
		}
	}

	private void deliver(List<ByteRecord> records, @Nullable String announcedBefore) {
		List<SseBackplaneEvent> events = new ArrayList<>(records.size());
		for (ByteRecord record : records) {
			String id = record.getId().getValue();
			String previous = Entries.previous(record.getValue());
			if (previous != null && !previous.equals(this.lastId)) {
				String lastMissing = lastMissing(previous, id, announcedBefore);
				if (lastMissing != null) {
					flush(events);
					this.follower.gap(lastMissing);
				}
			}
			SseBackplaneEvent event = this.reads.decode(this.key, id, record.getValue());
			if (event != null) {
				events.add(event);
			}
			this.lastId = id;
		}
		flush(events);
	}

	/**
	 * What was lost before an entry that does not follow the last one read, or {@code null} if
	 * nothing was: entries trimmed while unread, or, when the stream started again (Redis
	 * restarted empty, say), entries announced that were not read.
	 */
	private @Nullable String lastMissing(String previous, String id, @Nullable String announcedBefore) {
		if (EntryIds.isId(previous) && EntryIds.compare(previous, this.lastId) > 0) {
			return previous;
		}
		if (announcedBefore != null && EntryIds.compare(announcedBefore, this.lastId) > 0
				&& EntryIds.compare(announcedBefore, id) < 0) {
			return announcedBefore;
		}
		return null;
	}

	private void flush(List<SseBackplaneEvent> events) {
		if (!events.isEmpty()) {
			this.follower.events(List.copyOf(events));
			events.clear();
		}
	}

	private void retryLater() {
		try {
			this.readers.schedule(this::wake, Follows.RETRY.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closing.
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.follows.closed(this);
	}

}
