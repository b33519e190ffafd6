package io.github.ssestarter.internal.web;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.broadcast.SseSink;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a source's elements straight to one connection, one at a time: the source ends with
 * it. Writes never block: a frame the client cannot take now waits, and the next element is
 * asked for (or, for a pulled {@code Stream}, the pulling thread goes on) once the connection
 * reports it written. A slow client therefore holds no thread of a {@code Flux}.
 */
public final class ConnectionTarget implements SourceTarget {

	private static final Log logger = LogFactory.getLog(ConnectionTarget.class);

	private final SseConnection connection;

	private final SseFrameEncoder encoder;

	private final Executor executor;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition settled = this.lock.newCondition();

	/** The frame the client could not take yet; guarded by the lock. */
	private byte @Nullable [] pending;

	/** What to run once the pending frame is written; guarded by the lock. */
	private @Nullable Runnable afterPending;

	/**
	 * @param executor runs the source's elements: the writes, and the user code a publisher runs
	 * when asked for more
	 */
	public ConnectionTarget(SseConnection connection, SseFrameEncoder encoder, Executor executor) {
		this.connection = connection;
		this.encoder = encoder;
		this.executor = executor;
		// Set before any write, so that no writability report can come before it.
		connection.onWritable(() -> connection.executor().execute(this::retryPending));
		connection.onClose(this::wakeWaiters);
	}

	@Override
	public boolean awaitReady() throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (this.pending != null && !this.connection.isEnded()) {
				this.settled.await();
			}
			return !this.connection.isEnded();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void whenReady(Runnable action) {
		this.lock.lock();
		try {
			if (this.connection.isEnded()) {
				return;
			}
			if (this.pending != null) {
				this.afterPending = action;
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		action.run();
	}

	/** One at a time: the next element is asked for once the previous one is written. */
	@Override
	public long room() {
		this.lock.lock();
		try {
			return (this.pending != null || this.connection.isEnded()) ? 0 : 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean accept(Object element) {
		byte[] frame = this.encoder.encode(SseElements.toItem(element, this.connection.settings().eventType()));
		this.lock.lock();
		try {
			if (this.pending != null) {
				throw new IllegalStateException("An element came before the previous one was written");
			}
			SseSink.Result result = this.connection.write(List.of(frame));
			if (result == SseSink.Result.BUSY) {
				this.pending = frame;
			}
			return result != SseSink.Result.CLOSED;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void retryPending() {
		Runnable action = null;
		this.lock.lock();
		try {
			byte[] frame = this.pending;
			if (frame == null) {
				return;
			}
			SseSink.Result result = this.connection.write(List.of(frame));
			if (result == SseSink.Result.BUSY) {
				return;
			}
			this.pending = null;
			this.settled.signalAll();
			if (result == SseSink.Result.WRITTEN) {
				action = this.afterPending;
			}
			this.afterPending = null;
		}
		finally {
			this.lock.unlock();
		}
		if (action != null) {
			action.run();
		}
	}

	private void wakeWaiters() {
		this.lock.lock();
		try {
			this.afterPending = null;
			this.settled.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Ends the connection once the last frame is written. */
	@Override
	public void complete() {
		whenReady(() -> this.connection.end(SseStreamOutcome.COMPLETED));
	}

	/** Ends the connection, once the last frame is written, and logs the failure. */
	@Override
	public void fail(Throwable failure) {
		whenReady(() -> SourceFailures.end(this.connection, failure, logger));
	}

	@Override
	public void onCancel(Runnable action) {
		this.connection.onClose(action);
	}

	@Override
	public Executor executor() {
		return this.executor;
	}

}
