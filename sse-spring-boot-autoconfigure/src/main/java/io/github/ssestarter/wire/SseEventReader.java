package io.github.ssestarter.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A small blocking client for a {@code text/event-stream}: reads events one at a time from an
 * {@link InputStream}, such as the body of a live HTTP response, with the rules of
 * {@link SseParser}.
 *
 * <p>Events are returned as soon as their bytes have arrived; the reader never waits for the end
 * of the stream to return an event that is already complete. {@link #nextWithin(Duration)} gives up
 * after a timeout, so that a test waiting for an event that never comes fails instead of hanging.
 * Like a browser, the reader returns no event for an id-only frame (such as the one a topic
 * subscription or a resumable stream starts with) but remembers its id: see {@link #lastEventId()}.
 * It is not thread-safe: the caller must call {@link #next()} from one thread at a time, and may
 * call {@link #close()} from another only if the stream supports that.
 */
public final class SseEventReader implements Closeable {

	private static final int BUFFER_SIZE = 8192;

	private final InputStream input;

	private final SseParser parser;

	private final Queue<SseEvent> events = new ArrayDeque<>();

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private boolean endOfStream;

	/** Reads for {@link #nextWithin(Duration)}, created on first use. */
	private @Nullable ExecutorService reader;

	/** A read that timed out and goes on; the next call takes its event. */
	private volatile @Nullable Future<@Nullable SseEvent> pending;

	/**
	 * Creates a reader that ignores comments.
	 * @param input the stream to read, positioned at the start of the event stream
	 */
	public SseEventReader(InputStream input) {
		this(input, (comment) -> {
		});
	}

	/**
	 * Creates a reader that passes comments, such as heartbeats, to a listener.
	 * @param input the stream to read, positioned at the start of the event stream
	 * @param commentListener called, during {@link #next()}, with the text of each comment line,
	 * without the colon and the one space that may follow it
	 */
	public SseEventReader(InputStream input, Consumer<String> commentListener) {
		this.input = Objects.requireNonNull(input, "input must not be null");
		Objects.requireNonNull(commentListener, "commentListener must not be null");
		this.parser = new SseParser(new SseParser.Listener() {

			@Override
			public void onEvent(SseEvent event) {
				SseEventReader.this.events.add(event);
			}

			@Override
			public void onComment(String comment) {
				commentListener.accept(comment);
			}

		});
	}

	/**
	 * Returns the next event, blocking until it has arrived.
	 * @return the next event, or {@code null} once the stream has ended; an event that the end of
	 * the stream cut short is discarded, as browsers do
	 * @throws IOException if reading the stream fails
	 * @throws IllegalStateException if a line or an event's data exceeds the parser's 1 MiB bound
	 */
	public @Nullable SseEvent next() throws IOException {
		Future<@Nullable SseEvent> waiting = this.pending;
		if (waiting == null) {
			return read();
		}
		this.pending = null;
		return outcome(waiting, () -> waiting.get());
	}

	/**
	 * Returns the next event, waiting for it at most the given time. A read that timed out goes on
	 * in the background: the event it brings is what the next call returns.
	 * @param timeout the longest wait
	 * @return the next event, or {@code null} once the stream has ended
	 * @throws InterruptedIOException if no event arrived in time (or the waiting thread was
	 * interrupted); the reader can still be used
	 * @throws IOException if reading the stream fails
	 * @throws IllegalStateException if a line or an event's data exceeds the parser's 1 MiB bound
	 */
	public @Nullable SseEvent nextWithin(Duration timeout) throws IOException {
		Objects.requireNonNull(timeout, "timeout must not be null");
		Future<@Nullable SseEvent> waiting = this.pending;
		if (waiting == null) {
			waiting = reading().submit(this::read);
			this.pending = waiting;
		}
		Future<@Nullable SseEvent> read = waiting;
		SseEvent event = outcome(read, () -> {
			try {
				return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new InterruptedIOException("No event within " + timeout);
			}
		});
		this.pending = null;
		return event;
	}

	private @Nullable SseEvent read() throws IOException {
		while (this.events.isEmpty()) {
			if (this.endOfStream) {
				return null;
			}
			int read = this.input.read(this.buffer);
			if (read < 0) {
				this.endOfStream = true;
			}
			else {
				this.parser.feed(this.buffer, 0, read);
			}
		}
		return this.events.remove();
	}

	private @Nullable SseEvent outcome(Future<@Nullable SseEvent> read, Wait wait) throws IOException {
		try {
			return wait.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting for an event");
		}
		catch (ExecutionException ex) {
			this.pending = null;
			Throwable cause = ex.getCause();
			if (cause instanceof IOException io) {
				throw io;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IOException(cause);
		}
	}

	private ExecutorService reading() {
		ExecutorService executor = this.reader;
		if (executor == null) {
			executor = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "sse-event-reader");
				thread.setDaemon(true);
				return thread;
			});
			this.reader = executor;
		}
		return executor;
	}

	/** A wait for a read's outcome. */
	@FunctionalInterface
	private interface Wait {

		@Nullable SseEvent get() throws InterruptedException, ExecutionException, IOException;

	}

	/**
	 * The last event id read so far, which a reconnecting client sends back as
	 * {@code Last-Event-ID}. It may be ahead of the event last returned by {@link #next()} when one
	 * read brought several events; each {@link SseEvent} carries its own. Ask it between calls, not
	 * while a read that timed out goes on.
	 * @return the last event id, empty when none has been set
	 */
	public String lastEventId() {
		return this.parser.lastEventId();
	}

	/**
	 * Closes the underlying stream.
	 * @throws IOException if closing the stream fails
	 */
	@Override
	public void close() throws IOException {
		ExecutorService executor = this.reader;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.input.close();
	}

}
