package io.github.ssestarter.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A small blocking client for a {@code text/event-stream}: reads events one at a time from an
 * {@link InputStream}, such as the body of a live HTTP response, with the rules of
 * {@link SseParser}.
 *
 * <p>Events are returned as soon as their bytes have arrived; the reader never waits for the end
 * of the stream to return an event that is already complete. It is not thread-safe: the caller
 * must call {@link #next()} from one thread at a time, and may call {@link #close()} from another
 * only if the stream supports that.
 */
public final class SseEventReader implements Closeable {

	private static final int BUFFER_SIZE = 8192;

	private final InputStream input;

	private final SseParser parser;

	private final Queue<SseEvent> events = new ArrayDeque<>();

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private boolean endOfStream;

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

	/**
	 * The last event id read so far, which a reconnecting client sends back as
	 * {@code Last-Event-ID}. It may be ahead of the event last returned by {@link #next()} when
	 * one read brought several events; each {@link SseEvent} carries its own.
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
		this.input.close();
	}

}
