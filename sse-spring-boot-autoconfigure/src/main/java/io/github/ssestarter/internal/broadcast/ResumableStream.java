package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.wire.SseFormatter;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One resumable stream: a private topic with a single source, whose clients are cursors into
 * its ring like a topic's subscribers. The source appends; at most one client is connected at a
 * time, and a client that resumes takes the stream over from a connection the server may not
 * yet know is dead.
 *
 * <p>The source is held back so that it never runs more than half the ring ahead of what was
 * written to the client: the other half keeps what a dropped connection may have lost in flight,
 * so that a client resuming from the last event it saw is always replayed, never reset, unless
 * it lost more than that.
 *
 * <p>With a shared log, each event is also appended to the stream's log, so that a client may
 * resume on another instance, which then tells how far its client has got; the stream counts as
 * having a client while it does.
 *
 * <p>Obtained from {@link ResumableStreams}; the web integration drives it.
 */
public final class ResumableStream {

	private static final Log logger = LogFactory.getLog(ResumableStream.class);

	private final ResumableStreams registry;

	private final String key;

	private final String scope;

	private final String endpoint;

	private final @Nullable String owner;

	private final Duration window;

	private final EventIds ids;

	private final Topic topic;

	private final SseFrameEncoder encoder;

	/** Copies the stream into a shared log, or {@code null}. */
	private final @Nullable StreamLogWriter log;

	/** Runs actions waiting for room, off the thread that reports progress. */
	private final Executor executor;

	/** How far the source may run ahead of the furthest position written to a client. */
	private final long lead;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition room = this.lock.newCondition();

	private final List<Runnable> cancelHandlers = new CopyOnWriteArrayList<>();

	/** The furthest position written to a client; guarded by the lock. */
	private long written;

	/** An action to run once there is room; guarded by the lock. */
	private @Nullable Runnable roomAction;

	/** Counts connections, so that only the latest one's end detaches the stream; guarded by the lock. */
	private long attachments;

	/** The client connected now, or {@code null} while detached; guarded by the lock. */
	private @Nullable TopicSubscriber client;

	/** When the stream was last left without a client, by {@link System#nanoTime()}; guarded by the lock. */
	private long detachedNanos;

	/** When a client on another instance was last reported, by {@link System#nanoTime()}; guarded by the lock. */
	private long remoteClientNanos;

	/** Whether a client on another instance was ever reported; guarded by the lock. */
	private boolean remoteClient;

	/** Guarded by the lock. */
	private boolean cancelled;

	ResumableStream(ResumableStreams registry, String key, String scope, String endpoint, @Nullable String owner,
			Duration window, BroadcastSettings settings, SseFrameEncoder encoder, Executor executor,
			@Nullable StreamLogWriter log) {
		this.registry = registry;
		this.key = key;
		this.scope = scope;
		this.endpoint = endpoint;
		this.owner = owner;
		this.window = window;
		this.encoder = encoder;
		this.executor = executor;
		this.log = log;
		this.ids = new EventIds(key);
		this.topic = new Topic(key, this.ids, this.ids.format(0), settings, SseListener.none());
		this.topic.onProgress(this::progressed);
		this.lead = Math.max(1, settings.replayCapacity() / 2);
		this.detachedNanos = System.nanoTime();
	}

	String key() {
		return this.key;
	}

	String scope() {
		return this.scope;
	}

	/**
	 * The route template of the endpoint the stream was started on.
	 * @return the route template
	 */
	public String endpoint() {
		return this.endpoint;
	}

	@Nullable String owner() {
		return this.owner;
	}

	Duration window() {
		return this.window;
	}

	/** Whether the stream is copied into a shared log. */
	boolean isShared() {
		return this.log != null;
	}

	// Source side

	/**
	 * Waits until the source may append, for sources that pull on their own thread.
	 * @return {@code false} if the stream was cancelled: the source must stop
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitRoom() throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (!this.cancelled && !hasRoom()) {
				this.room.await();
			}
			return !this.cancelled;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Runs an action once the source may append: at once, on the calling thread, when it may
	 * now, else later on the stream's executor. Only one action waits at a time; none runs once
	 * the stream is cancelled.
	 * @param action what to run, such as asking a publisher for its next element
	 */
	public void whenRoom(Runnable action) {
		this.lock.lock();
		try {
			if (this.cancelled) {
				return;
			}
			if (!hasRoom()) {
				this.roomAction = action;
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		action.run();
	}

	/**
	 * How many events the source may append now without waiting.
	 * @return the count, 0 once the stream is cancelled
	 */
	public long room() {
		this.lock.lock();
		try {
			return this.cancelled ? 0 : Math.max(0, this.lead - (this.topic.lastSequence() - this.written));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Appends the source's next event, replacing any id it carries with the stream's own.
	 * @param item the event
	 */
	public void append(SseItem<?> item) {
		SseItem<String> encoded = item.withId(null).withData(this.encoder.encodeData(item.data()));
		String id = this.topic.publish(encoded, SseFormatter.format(encoded), null, Map.of());
		StreamLogWriter shared = this.log;
		if (shared != null && id != null) {
			shared.appended(this.ids.sequenceOf(id), encoded);
		}
	}

	/**
	 * Marks the end of the source: a client gets the rest of the events and then the end of its
	 * stream, and one that already has the last event is told there is nothing more.
	 */
	public void complete() {
		this.topic.complete();
		StreamLogWriter shared = this.log;
		if (shared != null) {
			shared.completed(this.topic.lastSequence());
		}
	}

	/**
	 * Registers what stops the source when the stream is cancelled (nobody resumed it in time).
	 * @param handler the action; run at once if the stream is already cancelled
	 */
	public void onCancel(Runnable handler) {
		this.cancelHandlers.add(handler);
		if (isCancelled() && this.cancelHandlers.remove(handler)) {
			handler.run();
		}
	}

	// Client side

	/**
	 * Connects a client: after the given id (a resumption), or from the start with the stream's
	 * first id (a new stream's first client). A client connected before is disconnected.
	 * @param lastEventId the id of the last event the client has, or {@code null}
	 * @return what connects the client's sink, to be called once
	 */
	public Consumer<SseSink> connect(@Nullable String lastEventId) {
		return (sink) -> attach(sink, lastEventId);
	}

	/**
	 * Whether the stream has ended and the given id is its last event: the client has everything.
	 * @param lastEventId an id of this stream
	 * @return whether there is nothing more to send
	 */
	public boolean isFinishedAt(String lastEventId) {
		return this.topic.isCompleted() && this.ids.sequenceOf(lastEventId) == this.topic.lastSequence();
	}

	private void attach(SseSink sink, @Nullable String lastEventId) {
		TopicSubscriber previous;
		long attachment;
		this.lock.lock();
		try {
			if (this.cancelled) {
				// Expired between being found and being connected: the client comes back and starts afresh.
				sink.close();
				return;
			}
			attachment = ++this.attachments;
			previous = this.client;
			this.client = null;
		}
		finally {
			this.lock.unlock();
		}
		this.registry.attached(this);
		this.topic.reserve();
		TopicSubscriber subscriber = this.topic.subscribe(sink, lastEventId, this.owner, (item) -> true,
				(view) -> MemoryReplay.resume(view, this.ids, lastEventId));
		this.lock.lock();
		try {
			if (this.attachments == attachment) {
				this.client = subscriber;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (previous != null) {
			previous.closeConnection();
		}
		sink.onClose(() -> detached(attachment));
	}

	private void detached(long attachment) {
		this.lock.lock();
		try {
			if (this.attachments != attachment || this.cancelled) {
				return;
			}
			this.client = null;
			this.detachedNanos = System.nanoTime();
		}
		finally {
			this.lock.unlock();
		}
		this.registry.detached(this);
	}

	/**
	 * Cancels the stream if it has been without a client for its whole window.
	 * @return whether it was cancelled
	 */
	boolean expireIfIdle(long nowNanos) {
		this.lock.lock();
		try {
			long lastSeen = this.remoteClient ? Math.max(this.detachedNanos, this.remoteClientNanos) : this.detachedNanos;
			if (this.cancelled || this.client != null || this.attachments == 0
					|| nowNanos - lastSeen < this.window.toNanos()) {
				return false;
			}
		}
		finally {
			this.lock.unlock();
		}
		return cancel();
	}

	/**
	 * Cancels the stream: stops the source, disconnects any client, and frees the ring.
	 * @return whether this call cancelled it
	 */
	boolean cancel() {
		TopicSubscriber connected;
		this.lock.lock();
		try {
			if (this.cancelled) {
				return false;
			}
			this.cancelled = true;
			connected = this.client;
			this.client = null;
			this.roomAction = null;
			this.room.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		for (Runnable handler : this.cancelHandlers) {
			try {
				handler.run();
			}
			catch (RuntimeException ex) {
				logger.debug("Cancelling a resumable stream's source failed", ex);
			}
		}
		this.cancelHandlers.clear();
		if (connected != null) {
			connected.closeConnection();
		}
		StreamLogWriter shared = this.log;
		if (shared != null) {
			shared.cancelled(this.topic.lastSequence());
		}
		return true;
	}

	/**
	 * Tells of a client on another instance, which has written every event up to the given
	 * sequence: the stream has a client, and its source may run ahead of that client as of one here.
	 */
	void remoteClientAt(long sequence, long nowNanos) {
		this.lock.lock();
		try {
			this.remoteClient = true;
			this.remoteClientNanos = nowNanos;
		}
		finally {
			this.lock.unlock();
		}
		progressed(Math.min(sequence, this.topic.lastSequence()));
	}

	/**
	 * Whether the stream was cancelled: its source must stop.
	 * @return whether it was
	 */
	public boolean isCancelled() {
		this.lock.lock();
		try {
			return this.cancelled;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void progressed(long sequence) {
		Runnable action = null;
		this.lock.lock();
		try {
			if (sequence <= this.written) {
				return;
			}
			this.written = sequence;
			if (hasRoom()) {
				this.room.signalAll();
				action = this.roomAction;
				this.roomAction = null;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (action != null) {
			this.executor.execute(action);
		}
	}

	/** Guarded by the lock. */
	private boolean hasRoom() {
		return this.topic.lastSequence() - this.written < this.lead;
	}

	@Override
	public String toString() {
		return "ResumableStream{endpoint=" + this.endpoint + "}";
	}

}
