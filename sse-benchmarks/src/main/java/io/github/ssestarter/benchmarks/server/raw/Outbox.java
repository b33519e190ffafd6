package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Bytes a non-blocking socket has not taken yet. They leave in the order they were added, so
 * whoever writes to the socket adds behind them while any are left.
 */
final class Outbox {

	private static final int MIN_CAPACITY = 4096;

	private final int limit;

	private ByteBuffer pending;

	/**
	 * @param limit the most bytes it holds
	 */
	Outbox(int limit) {
		this.limit = limit;
	}

	boolean isEmpty() {
		return this.pending == null;
	}

	/**
	 * Adds bytes behind those pending.
	 * @param bytes the bytes from position to limit, all taken
	 * @return false, and nothing added, when that would hold more than the limit
	 */
	boolean add(ByteBuffer bytes) {
		int held = (this.pending != null) ? this.pending.position() : 0;
		int needed = held + bytes.remaining();
		if (needed > this.limit) {
			return false;
		}
		if (this.pending == null || this.pending.capacity() < needed) {
			int doubled = (this.pending != null) ? this.pending.capacity() * 2 : MIN_CAPACITY;
			ByteBuffer larger = ByteBuffer.allocate(Math.min(this.limit, Math.max(doubled, needed)));
			if (this.pending != null) {
				larger.put(this.pending.flip());
			}
			this.pending = larger;
		}
		this.pending.put(bytes);
		return true;
	}

	/**
	 * Writes what is pending, in one write.
	 * @return whether all of it went
	 */
	boolean flushTo(SocketChannel channel) throws IOException {
		if (this.pending == null) {
			return true;
		}
		this.pending.flip();
		channel.write(this.pending);
		if (this.pending.hasRemaining()) {
			this.pending.compact();
			return false;
		}
		this.pending = null;
		return true;
	}

	/**
	 * Takes what is pending out, leaving the outbox empty.
	 * @return the bytes, none if nothing was pending
	 */
	byte[] takeAll() {
		if (this.pending == null) {
			return new byte[0];
		}
		this.pending.flip();
		byte[] bytes = new byte[this.pending.remaining()];
		this.pending.get(bytes);
		this.pending = null;
		return bytes;
	}

}
