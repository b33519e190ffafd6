package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.internal.broadcast.SseSink.Result;

/**
 * Writes whole frames to one stream's servlet response, with the Servlet API's non-blocking output
 * where the response has it, so that a client that stops reading never holds a thread.
 *
 * <p>Frames are written under one lock, so a heartbeat never splits an event. The container reports
 * writability on a thread that holds its own lock on the socket, which writers need too; so that
 * callback never takes the write lock: it hands the pending flush to the dispatcher and only wakes
 * the writer waiting for room.
 *
 * <p>A failed write or flush is the client gone: it is reported to the connection, which ends.
 */
final class ResponseWriter {

	private static final Log logger = LogFactory.getLog(ResponseWriter.class);

	private final ServletOutputStream out;

	private final SseConnection connection;

	private final Executor dispatcher;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable Runnable writableCallback;

	/** Whether the response has no non-blocking output, so that writes block; set before the first write. */
	private volatile boolean blocking;

	/** Whether written bytes wait in the response buffer for a flush; guarded by the lock. */
	private boolean unflushed;

	private volatile long lastWriteNanos = System.nanoTime();

	/**
	 * @param connection ended when the client is found gone
	 * @param dispatcher runs flushes the container's writability callback asks for
	 */
	ResponseWriter(ServletOutputStream out, SseConnection connection, Executor dispatcher) {
		this.out = out;
		this.connection = connection;
		this.dispatcher = dispatcher;
	}

	/** Sets what runs when a response that was busy can take more; replaces any earlier callback. */
	void onWritable(Runnable callback) {
		this.writableCallback = callback;
	}

	/**
	 * Switches the response to non-blocking output; called once, on the request's thread, after
	 * asynchronous processing started. Where the response has none (MockMvc's, say), writes block
	 * instead: such responses take every byte at once.
	 */
	void useNonBlockingOutput() {
		try {
			this.out.setWriteListener(new WriteListener() {

				@Override
				public void onWritePossible() {
					writable();
				}

				@Override
				public void onError(Throwable failure) {
					ResponseWriter.this.connection.clientGone(failure);
				}

			});
		}
		catch (UnsupportedOperationException ex) {
			this.blocking = true;
			if (logger.isDebugEnabled()) {
				logger.debug("Event stream response has no non-blocking output; writing blocking");
			}
		}
	}

	/** Commits the status and headers now, before any event; later if the client cannot take them yet. */
	void commit() {
		this.lock.lock();
		try {
			if (this.connection.isEnded()) {
				return;
			}
			if (isReady()) {
				this.out.flush();
			}
			else {
				this.unflushed = true;
			}
		}
		catch (IOException | RuntimeException ex) {
			this.connection.clientGone(ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Writes frames as one write and one flush if the client can take them now.
	 * @return {@code BUSY} if it cannot (the writable callback runs once it can), {@code CLOSED}
	 * if the connection has ended or the write failed
	 */
	Result write(List<byte[]> frames) {
		this.lock.lock();
		try {
			if (this.connection.isEnded()) {
				return Result.CLOSED;
			}
			if (!isReady()) {
				// The container calls back once the client has taken what it has.
				return Result.BUSY;
			}
			writeAndFlush((frames.size() == 1) ? frames.get(0) : concat(frames));
			return Result.WRITTEN;
		}
		catch (IOException | RuntimeException ex) {
			this.connection.clientGone(ex);
			return Result.CLOSED;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Writes a frame if nothing else is being written and the client can take it now: for a
	 * heartbeat, which a write in progress makes needless and a client that cannot take more must
	 * not be sent (the overflow policy reports such a client).
	 * @throws IOException if the client has gone
	 */
	void writeIfIdle(byte[] frame) throws IOException {
		if (!this.lock.tryLock()) {
			return;
		}
		try {
			if (!this.connection.isEnded() && isReady()) {
				writeAndFlush(frame);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** When bytes were last written, in {@link System#nanoTime()}'s terms. */
	long lastWriteNanos() {
		return this.lastWriteNanos;
	}

	/** Whether the response takes a write now without blocking; always, for blocking output. */
	private boolean isReady() {
		return this.blocking || this.out.isReady();
	}

	/** Writes without blocking, when the stream is ready: the container takes every byte, and sends what the socket does not take yet later. */
	private void writeAndFlush(byte[] bytes) throws IOException {
		this.out.write(bytes);
		if (isReady()) {
			this.out.flush();
			this.unflushed = false;
		}
		else {
			this.unflushed = true;
		}
		this.lastWriteNanos = System.nanoTime();
	}

	private void writable() {
		this.dispatcher.execute(this::flushPending);
		Runnable callback = this.writableCallback;
		if (callback != null) {
			callback.run();
		}
	}

	private void flushPending() {
		this.lock.lock();
		try {
			if (this.unflushed && !this.connection.isEnded() && isReady()) {
				this.out.flush();
				this.unflushed = false;
			}
		}
		catch (IOException | RuntimeException ex) {
			this.connection.clientGone(ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private static byte[] concat(List<byte[]> frames) {
		int length = 0;
		for (byte[] frame : frames) {
			length += frame.length;
		}
		byte[] bytes = new byte[length];
		int offset = 0;
		for (byte[] frame : frames) {
			System.arraycopy(frame, 0, bytes, offset, frame.length);
			offset += frame.length;
		}
		return bytes;
	}

}
