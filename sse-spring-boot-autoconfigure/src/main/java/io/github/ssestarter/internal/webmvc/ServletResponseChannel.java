package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.async.DeferredResult;

import io.github.ssestarter.internal.broadcast.SseSink.Result;
import io.github.ssestarter.internal.web.JoinBuffer;
import io.github.ssestarter.internal.web.ResponseChannel;
import io.github.ssestarter.internal.web.SseConnection;

/**
 * One stream's servlet response: whole frames written with the Servlet API's non-blocking output
 * where the response has it, so that a client that stops reading never holds a thread, and the
 * asynchronous request completed when the stream ends.
 *
 * <p>Frames are written under one lock, so a heartbeat never splits an event. The container reports
 * writability on a thread that holds its own lock on the socket, which writers need too; so that
 * callback never takes the write lock: it hands the pending flush to the dispatcher and only wakes
 * the writer waiting for room.
 *
 * <p>A failed write or flush is the client gone: it is reported to the connection, which ends.
 * So is a client found gone by the {@link ClientGoneProbe probe} of the request's input, which the
 * {@link DisconnectWatch} runs while the stream is quiet.
 */
final class ServletResponseChannel implements ResponseChannel {

	private static final Log logger = LogFactory.getLog(ServletResponseChannel.class);

	private final ServletOutputStream out;

	private final SseConnection connection;

	private final Executor dispatcher;

	private final DeferredResult<Object> result;

	private final ClientGoneProbe probe = new ClientGoneProbe();

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
	 * @param result the asynchronous request's result, set when the stream ends
	 */
	ServletResponseChannel(ServletOutputStream out, SseConnection connection, Executor dispatcher,
			DeferredResult<Object> result) {
		this.out = out;
		this.connection = connection;
		this.dispatcher = dispatcher;
		this.result = result;
	}

	SseConnection connection() {
		return this.connection;
	}

	@Override
	public void onWritable(Runnable callback) {
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
					ServletResponseChannel.this.connection.clientGone(failure);
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

	@Override
	public Result write(List<byte[]> frames) {
		this.lock.lock();
		try {
			if (this.connection.isEnded()) {
				return Result.CLOSED;
			}
			if (!isReady()) {
				// The container calls back once the client has taken what it has.
				return Result.BUSY;
			}
			if (frames.size() == 1) {
				byte[] frame = frames.get(0);
				writeAndFlush(frame, frame.length);
			}
			else {
				JoinBuffer buffer = JoinBuffer.ofCurrentThread();
				byte[] joined = buffer.join(frames);
				writeAndFlush(joined, buffer.length());
				if (this.unflushed) {
					// The response may send from the array once the client takes more: it keeps it.
					buffer.handOver(joined);
				}
			}
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

	@Override
	public void writeIfIdle(byte[] frame) throws IOException {
		if (!this.lock.tryLock()) {
			return;
		}
		try {
			if (!this.connection.isEnded() && isReady()) {
				writeAndFlush(frame, frame.length);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public long lastWriteNanos() {
		return this.lastWriteNanos;
	}

	/**
	 * Stops probing the request's input, which must not be touched once the request completes,
	 * then completes the asynchronous request with no body of its own: no error page follows the
	 * stream.
	 */
	@Override
	public void complete() {
		this.probe.stop();
		try {
			this.result.setResult(null);
		}
		catch (IllegalStateException ex) {
			// The container finished the request first, after an error on the connection: nothing is
			// left to complete.
			logger.debug("Event stream's request was already over", ex);
		}
	}

	/**
	 * Starts asking the request's input whether the client has gone; called once its body has been
	 * read to the end.
	 * @return {@code false} if the stream has ended already
	 */
	boolean probeFrom(ServletInputStream input) {
		return this.probe.start(input);
	}

	/**
	 * Asks the request's input, without blocking, whether the client has closed the connection,
	 * and ends the stream if it has.
	 * @return whether to keep asking
	 */
	boolean probeClientGone() {
		if (this.probe.clientGone()) {
			this.connection.endElsewhere(() -> this.connection.clientGone(new IOException("Client closed the connection")));
			return false;
		}
		return this.probe.isProbing();
	}

	/** Whether the response takes a write now without blocking; always, for blocking output. */
	private boolean isReady() {
		return this.blocking || this.out.isReady();
	}

	/** Writes without blocking, when the stream is ready: the container takes every byte, and sends what the socket does not take yet later. */
	private void writeAndFlush(byte[] bytes, int length) throws IOException {
		this.out.write(bytes, 0, length);
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

}
