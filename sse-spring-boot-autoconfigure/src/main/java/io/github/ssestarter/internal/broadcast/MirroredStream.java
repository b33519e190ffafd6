package io.github.ssestarter.internal.broadcast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.ssestarter.SseBackplaneException;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.broadcast.SseBackplane.Backlog;
import io.github.ssestarter.internal.broadcast.SseBackplane.StreamLogs;
import io.github.ssestarter.internal.wire.SseFormatter;
import org.jspecify.annotations.Nullable;

/**
 * A resumable stream started on another instance, served here from its shared log to one client:
 * what the client missed, then each event as the source appends it there, until the stream ends.
 * The stream's log must run without a gap from where it starts: a log that lost an entry is not
 * served, and a gap seen while serving ends the connection, so that the client starts afresh
 * rather than miss an event.
 *
 * <p>Obtained from {@link ResumableStreams#findElsewhere}; the web integration either connects it
 * to a client or closes it.
 */
public final class MirroredStream {

	private final ResumableStreams registry;

	private final String key;

	private final StreamLogEntries.Meta meta;

	private final EventIds ids;

	private final Topic topic;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable AutoCloseable follow;

	private volatile @Nullable TopicSubscriber client;

	/** The furthest sequence written to the client. */
	private volatile long written;

	/** The sequence last reported to the instance running the source. */
	private volatile long reported = -1;

	private MirroredStream(ResumableStreams registry, String key, StreamLogEntries.Meta meta,
			BroadcastSettings settings) {
		this.registry = registry;
		this.key = key;
		this.meta = meta;
		this.ids = new EventIds(key);
		this.topic = new Topic(key, this.ids, this.ids.format(0), settings, SseListener.none());
		this.topic.onProgress((sequence) -> {
			if (sequence > this.written) {
				this.written = sequence;
			}
		});
	}

	/**
	 * Reads a stream's log and starts following it, if the stream may be resumed by this request.
	 * @return the stream, or {@code null} if the log holds no live stream this request may resume
	 * @throws SseBackplaneException if the log cannot be reached
	 */
	static @Nullable MirroredStream open(ResumableStreams registry, StreamLogs logs, String key, String scope,
			@Nullable String user, BroadcastSettings settings) {
		Backlog backlog = logs.backlog(key, settings.replayCapacity() + 2);
		List<StreamLogEntries.Entry> entries = new ArrayList<>();
		for (SseBackplaneEvent event : backlog.events()) {
			StreamLogEntries.Entry entry = StreamLogEntries.read(event);
			if (entry == null) {
				return null;
			}
			entries.add(entry);
		}
		if (entries.isEmpty()) {
			return null;
		}
		StreamLogEntries.Entry newest = entries.get(entries.size() - 1);
		if (!newest.meta().mayResume(scope, user) || StreamLogEntries.CANCELLED.equals(newest.end())) {
			return null;
		}
		MirroredStream stream = new MirroredStream(registry, key, newest.meta(), settings);
		StreamLogEntries.Entry oldest = entries.get(0);
		long first = (oldest.item() != null) ? oldest.sequence() - 1 : oldest.sequence();
		if (first > 0) {
			stream.topic.startAfter(first);
		}
		if (!stream.take(entries)) {
			return null;
		}
		stream.follow = logs.follow(key, backlog.newestId(), new Follower(stream));
		return stream;
	}

	/**
	 * The route template of the endpoint the stream was started on.
	 * @return the route template
	 */
	public String endpoint() {
		return this.meta.endpoint();
	}

	String key() {
		return this.key;
	}

	/**
	 * Whether the stream has ended and the given id is its last event: the client has everything.
	 * @param lastEventId an id of this stream
	 * @return whether there is nothing more to send
	 */
	public boolean isFinishedAt(String lastEventId) {
		return this.topic.isCompleted() && this.ids.sequenceOf(lastEventId) == this.topic.lastSequence();
	}

	/**
	 * Connects the client after the given id: it is replayed what the log holds after it, or gets a
	 * reset event if the log no longer holds it, then follows live. Closing the client's sink closes
	 * the stream.
	 * @param lastEventId the id of the last event the client has
	 * @return what connects the client's sink, to be called once
	 */
	public Consumer<SseSink> connect(String lastEventId) {
		return (sink) -> {
			if (this.closed.get()) {
				sink.close();
				return;
			}
			this.registry.mirrored(this);
			this.topic.reserve();
			this.client = this.topic.subscribe(sink, lastEventId, this.meta.owner(), (item) -> true,
					(view) -> MemoryReplay.resume(view, this.ids, lastEventId));
			this.written = Math.max(this.written, this.ids.sequenceOf(lastEventId));
			sink.onClose(this::close);
		};
	}

	/**
	 * Stops following the log and ends any client's connection.
	 */
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.registry.unmirrored(this);
		AutoCloseable following = this.follow;
		if (following != null) {
			try {
				following.close();
			}
			catch (Exception ex) {
				// Dropped either way.
			}
		}
		TopicSubscriber connected = this.client;
		if (connected != null) {
			connected.closeConnection();
		}
	}

	/**
	 * The position to report to the instance running the source, if it changed since the last
	 * report or {@code always}.
	 * @return the sequence, or -1 if there is nothing to report
	 */
	long positionToReport(boolean always) {
		long position = this.written;
		if (!always && position == this.reported) {
			return -1;
		}
		this.reported = position;
		return position;
	}

	/**
	 * Puts entries of the log in the ring, in order.
	 * @return {@code false} if the log has a gap or the stream was cancelled: the stream is not to be served
	 */
	private boolean take(List<StreamLogEntries.Entry> entries) {
		List<Topic.LogEvent> events = new ArrayList<>(entries.size());
		long expected = this.topic.lastSequence() + 1;
		String end = null;
		for (StreamLogEntries.Entry entry : entries) {
			SseItem<String> item = entry.item();
			if (entry.end() != null) {
				end = entry.end();
			}
			else if (item != null) {
				if (entry.sequence() < expected) {
					// Read again after an outage of the log: delivered already.
					continue;
				}
				if (entry.sequence() > expected) {
					return false;
				}
				String id = this.ids.format(entry.sequence());
				events.add(new Topic.LogEvent(id, item, SseFormatter.format(item), null, System.nanoTime(), Map.of()));
				expected++;
			}
		}
		if (!events.isEmpty()) {
			this.topic.appendFromLog(events, false);
		}
		if (StreamLogEntries.CANCELLED.equals(end)) {
			return false;
		}
		if (end != null) {
			this.topic.complete();
		}
		return true;
	}

	@Override
	public String toString() {
		return "MirroredStream{endpoint=" + endpoint() + "}";
	}

	/** Puts what the log delivers in the ring; ends the client's connection where it cannot. */
	private static final class Follower implements SseBackplane.Follower {

		private final MirroredStream stream;

		Follower(MirroredStream stream) {
			this.stream = stream;
		}

		@Override
		public void events(List<SseBackplaneEvent> events) {
			List<StreamLogEntries.Entry> entries = new ArrayList<>(events.size());
			for (SseBackplaneEvent event : events) {
				StreamLogEntries.Entry entry = StreamLogEntries.read(event);
				if (entry != null) {
					entries.add(entry);
				}
			}
			if (!this.stream.take(entries)) {
				this.stream.close();
			}
		}

		@Override
		public void gap(String lastMissingId) {
			this.stream.close();
		}

	}

}
