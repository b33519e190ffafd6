package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One event stream: its socket and the bytes the socket has not taken yet. Bytes leave in the order
 * they were queued: while some are pending, new events go behind them rather than to the socket.
 *
 * <p>Owned by one {@link Writer} thread from the moment it is handed over.
 */
final class Stream {

	/** Pending beyond this means the client does not read: the stream is closed. */
	static final int MAX_PENDING = 1024 * 1024;

	final SocketChannel channel;

	/** The last event published before the stream subscribed; {@code null} once adopted. */
	Event from;

	SelectionKey key;

	/** Where it is in its writer's list, {@code -1} when not there. */
	int index = -1;

	boolean closed;

	private final Outbox pending = new Outbox(MAX_PENDING);

	private boolean awaitingWritable;

	/**
	 * Creates a stream whose first bytes are the response head (and any earlier responses on the
	 * connection that its socket had not taken).
	 */
	Stream(SocketChannel channel, byte[] preamble, Event from) {
		this.channel = channel;
		this.from = from;
		this.pending.add(ByteBuffer.wrap(preamble));
	}

	boolean hasPending() {
		return !this.pending.isEmpty();
	}

	/**
	 * Queues bytes behind those pending.
	 * @param bytes the bytes from position to limit, all taken
	 * @return false when that would make more than {@link #MAX_PENDING} pending
	 */
	boolean queue(ByteBuffer bytes) {
		return this.pending.add(bytes);
	}

	/**
	 * Writes what is pending, in one write.
	 * @return whether all of it went
	 */
	boolean flush() throws IOException {
		return this.pending.flushTo(this.channel);
	}

	/**
	 * Asks the selector to report the socket writable, or stops asking; a system call only when that
	 * changes.
	 */
	void awaitWritable(boolean await) {
		if (await != this.awaitingWritable) {
			this.key.interestOps(await ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
			this.awaitingWritable = await;
		}
	}

}
