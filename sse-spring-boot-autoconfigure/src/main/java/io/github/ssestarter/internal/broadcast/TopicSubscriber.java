package io.github.ssestarter.internal.broadcast;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseOverflowPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One client's place in a topic: a cursor into the topic's ring, advanced by a writer that runs
 * on the sink's executor only while there is something to write. Consecutive events go out in one
 * write and one flush.
 */
final class TopicSubscriber {

	private static final Log logger = LogFactory.getLog(TopicSubscriber.class);

	/** Most frames coalesced into one write. */
	private static final int MAX_BATCH = 64;

	private final Topic topic;

	private final SseSink sink;

	private final @Nullable String user;

	private final Predicate<? super SseItem<?>> filter;

	private final AtomicInteger wakeUps = new AtomicInteger();

	/** Publication times of the events in the batch being written, one array per writing thread. */
	private static final ThreadLocal<long[]> batchNanos = ThreadLocal.withInitial(() -> new long[MAX_BATCH]);

	/** The frames of the batch being written, one per writing thread, which writes one subscriber at a time. */
	private static final ThreadLocal<FrameBatch> batches = ThreadLocal.withInitial(() -> new FrameBatch(MAX_BATCH));

	/** Runs the writer; one per subscriber, rather than one per wake-up. */
	private final Runnable drainTask = this::drain;

	/** Frames to write before anything from the ring; only touched by the writer after construction. */
	private List<byte[]> preamble;

	/** Sequence of the last event this subscriber has been given or has skipped. */
	private volatile long cursor;

	/**
	 * How far behind the topic the subscriber may be: the queue capacity, or more while it
	 * catches up on a replay that started further back.
	 */
	private volatile long allowedLag;

	private volatile boolean closed;

	/** Whether the filter has failed before; only touched by the writer. */
	private boolean filterFailed;

	/** Set by whichever of overflow and an explicit close ends the connection first. */
	private final AtomicBoolean ending = new AtomicBoolean();

	TopicSubscriber(Topic topic, SseSink sink, @Nullable String user, Predicate<? super SseItem<?>> filter,
			long cursor, List<byte[]> preamble) {
		this.topic = topic;
		this.sink = sink;
		this.user = user;
		this.filter = filter;
		this.cursor = cursor;
		this.preamble = preamble;
		this.allowedLag = Math.max(topic.settings().queueCapacity(), topic.lastSequence() - cursor);
	}

	/** Whether everything published so far has been written, or the subscriber has gone. */
	boolean isDone() {
		return this.closed || (this.preamble.isEmpty() && this.wakeUps.get() == 0 && lag() == 0);
	}

	long lag() {
		return this.topic.lastSequence() - this.cursor;
	}

	/**
	 * Tells the subscriber that the topic has moved on; starts its writer unless it is running.
	 * Called by publishers, so it must never block.
	 */
	void signal() {
		if (this.closed) {
			return;
		}
		if (this.topic.settings().overflowPolicy() == SseOverflowPolicy.DISCONNECT && lag() > this.allowedLag) {
			overflow();
			return;
		}
		if (this.wakeUps.getAndIncrement() == 0) {
			this.sink.executor().execute(this.drainTask);
		}
	}

	private void drain() {
		int pending = 1;
		do {
			try {
				writeAvailable();
			}
			catch (RuntimeException ex) {
				// A filter that throws, say: end the stream rather than leave it open and silent.
				logger.warn("Delivering to an event stream subscriber failed; ending its stream", ex);
				closeConnection();
			}
			pending = this.wakeUps.addAndGet(-pending);
		}
		while (pending != 0);
	}

	private void writeAvailable() {
		FrameBatch batch = batches.get();
		batch.clear();
		long[] publishedNanos = batchNanos.get();
		while (!this.closed) {
			for (int i = 0; i < this.preamble.size(); i++) {
				batch.add(this.preamble.get(i));
			}
			int events = 0;
			long position = this.cursor;
			long last = this.topic.lastSequence();
			if (last - position > this.allowedLag) {
				if (this.topic.settings().overflowPolicy() == SseOverflowPolicy.DISCONNECT) {
					overflow();
					return;
				}
				long skipTo = last - this.allowedLag;
				this.topic.dropped("drop-oldest", skipTo - position);
				position = skipTo;
				this.cursor = skipTo;
			}
			boolean waiting = false;
			// A counted int loop: C2 recompiled a loop on the long sequence over and over (profiled
			// loop predicates that kept failing as batch sizes changed).
			int available = (int) Math.min(last - position, MAX_BATCH - batch.size());
			for (int i = 0; i < available; i++) {
				PublishedEvent event = this.topic.eventAt(position + 1);
				if (event == null) {
					// Overtaken by the ring: only possible when far behind, which the check above handles
					// on the next round.
					break;
				}
				if (event.isPending()) {
					// Its transaction has not completed: the topic signals again once it has.
					waiting = true;
					break;
				}
				position++;
				if (event.isReset()) {
					batch.add(event.frame());
				}
				else if (event.isVisibleTo(this.user) && passes(event)) {
					batch.add(event.frame());
					publishedNanos[events++] = event.publishedNanos();
				}
			}
			if (!batch.isEmpty()) {
				SseSink.Result result = this.sink.write(batch);
				if (result == SseSink.Result.CLOSED) {
					close();
					return;
				}
				if (result == SseSink.Result.BUSY) {
					// Nothing was written; the sink signals again once the client can take more.
					return;
				}
				if (!this.preamble.isEmpty()) {
					// Only once: storing a reference on every write costs the garbage collector work.
					this.preamble = List.of();
				}
				if (events > 0) {
					delivered(events, publishedNanos);
				}
			}
			this.cursor = position;
			this.topic.progressed(position);
			if (last - position <= this.topic.settings().queueCapacity()) {
				this.allowedLag = this.topic.settings().queueCapacity();
			}
			batch.clear();
			if (waiting) {
				return;
			}
			if (position >= last) {
				// Completion is read before the sequence: once it is set, the sequence is final.
				if (this.topic.isCompleted() && position >= this.topic.lastSequence()) {
					closeConnection();
				}
				return;
			}
		}
	}


	/**
	 * Whether the subscription's filter lets the event through. A filter that throws leaves the
	 * event out for this subscriber only, and is logged once: ending the stream would make the
	 * client resume before the same event, again and again.
	 */
	private boolean passes(PublishedEvent event) {
		try {
			return this.filter.test(event.item());
		}
		catch (RuntimeException ex) {
			if (!this.filterFailed) {
				this.filterFailed = true;
				logger.warn("An event stream subscription's filter failed on event " + event.id()
						+ " of topic '" + this.topic.name() + "'; events it fails on are left out", ex);
			}
			return false;
		}
	}

	/** Turns the publication times into latencies, in place, and reports them. */
	private void delivered(int events, long[] publishedNanos) {
		long now = System.nanoTime();
		for (int i = 0; i < events; i++) {
			publishedNanos[i] = now - publishedNanos[i];
		}
		this.topic.delivered(events);
		this.topic.listener().eventsDelivered(this.topic.name(), events, publishedNanos);
	}

	private void overflow() {
		if (this.ending.compareAndSet(false, true)) {
			close();
			long behind = lag();
			if (behind > 0) {
				this.topic.dropped("overflow", behind);
			}
			this.sink.closeForOverflow();
		}
	}

	/**
	 * Stops delivery and ends the connection normally.
	 */
	void closeConnection() {
		if (this.ending.compareAndSet(false, true)) {
			close();
			this.sink.close();
		}
	}

	private void close() {
		this.closed = true;
		this.topic.remove(this);
	}

}
