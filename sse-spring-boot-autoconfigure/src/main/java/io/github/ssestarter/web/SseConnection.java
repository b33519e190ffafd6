package io.github.ssestarter.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletOutputStream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.broadcast.SseSink;

import org.springframework.web.context.request.async.DeferredResult;

/**
 * One open event stream: the committed servlet response it writes to, its heartbeat and its
 * lifetime. Frames are written whole and flushed under one lock, so a heartbeat never splits an
 * event; writers call {@link #send} from any thread, which blocks while the client is slow.
 *
 * <p>The connection ends exactly once, through {@link #end}: the source is cancelled through the
 * handlers given to {@link #onClose}, the timers stop, and the asynchronous request completes.
 */
final class SseConnection implements SseSink {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

	private final ServletOutputStream out;

	private final DeferredResult<Object> result;

	private final SseEndpointSettings settings;

	private final String endpoint;

	private final @Nullable String topic;

	private final Executor executor;

	private final ScheduledExecutorService scheduler;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final List<Runnable> endHandlers = new CopyOnWriteArrayList<>();

	private final AtomicReference<@Nullable SseConnectionOutcome> outcome = new AtomicReference<>();

	private final long heartbeatNanos;

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile @Nullable ScheduledFuture<?> heartbeatTask;

	private volatile @Nullable ScheduledFuture<?> timeoutTask;

	SseConnection(ServletOutputStream out, DeferredResult<Object> result, SseEndpointSettings settings,
			Executor executor, ScheduledExecutorService scheduler) {
		this(out, result, settings, "unknown", null, executor, scheduler);
	}

	SseConnection(ServletOutputStream out, DeferredResult<Object> result, SseEndpointSettings settings,
			String endpoint, @Nullable String topic, Executor executor, ScheduledExecutorService scheduler) {
		this.out = out;
		this.result = result;
		this.settings = settings;
		this.endpoint = endpoint;
		this.topic = topic;
		this.executor = executor;
		this.scheduler = scheduler;
		this.heartbeatNanos = settings.heartbeat().toNanos();
	}

	SseEndpointSettings settings() {
		return this.settings;
	}

	/** The route template of the request that opened the stream. */
	String endpoint() {
		return this.endpoint;
	}

	/** The broadcaster topic the stream delivers, if it delivers one. */
	@Nullable String topic() {
		return this.topic;
	}

	@Override
	public Executor executor() {
		return this.executor;
	}

	/** Starts the heartbeat and the lifetime timer; called once the headers are out. */
	void startTimers() {
		scheduleHeartbeatCheck(this.heartbeatNanos);
		Duration timeout = this.settings.timeout();
		if (timeout != null) {
			this.timeoutTask = this.scheduler.schedule(() -> end(SseConnectionOutcome.TIMEOUT), timeout.toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Registers an action to run when the connection ends, for whatever reason; runs it at once
	 * if the connection has already ended.
	 */
	@Override
	public void onClose(Runnable handler) {
		this.endHandlers.add(handler);
		if (isEnded() && this.endHandlers.remove(handler)) {
			handler.run();
		}
	}

	boolean isEnded() {
		return this.outcome.get() != null;
	}

	@Nullable SseConnectionOutcome outcome() {
		return this.outcome.get();
	}

	/**
	 * Writes one frame and flushes it, blocking while the client is slow.
	 * @return {@code false} if the connection has ended, including because this write failed
	 */
	boolean send(byte[] frame) {
		return send(List.of(frame));
	}

	/**
	 * Writes several frames with one flush, blocking while the client is slow.
	 * @return {@code false} if the connection has ended, including because this write failed
	 */
	@Override
	public boolean send(List<byte[]> frames) {
		this.writeLock.lock();
		try {
			if (isEnded()) {
				return false;
			}
			for (byte[] frame : frames) {
				this.out.write(frame);
			}
			this.out.flush();
			this.lastWriteNanos = System.nanoTime();
			return true;
		}
		catch (IOException | RuntimeException ex) {
			clientGone(ex);
			return false;
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public void closeForOverflow() {
		end(SseConnectionOutcome.OVERFLOW);
	}

	@Override
	public void close() {
		end(SseConnectionOutcome.COMPLETED);
	}

	/**
	 * Ends the connection: cancels the source, stops the timers and completes the response. Only
	 * the first call has an effect.
	 */
	void end(SseConnectionOutcome reason) {
		if (!this.outcome.compareAndSet(null, reason)) {
			return;
		}
		cancel(this.heartbeatTask);
		cancel(this.timeoutTask);
		for (Runnable handler : this.endHandlers) {
			try {
				handler.run();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing an event stream's source failed", ex);
			}
		}
		this.endHandlers.clear();
		// Completes the async request with no body of its own: no error page follows the stream.
		try {
			this.result.setResult(null);
		}
		catch (IllegalStateException ex) {
			// The container finished the request first, after an error on the connection: nothing is
			// left to complete.
			logger.debug("Event stream's request was already over", ex);
		}
	}

	private void clientGone(Exception ex) {
		if (!isEnded() && logger.isDebugEnabled()) {
			logger.debug("Event stream client went away: " + ex);
		}
		end(SseConnectionOutcome.CLIENT_CLOSED);
	}

	private void scheduleHeartbeatCheck(long delayNanos) {
		if (!isEnded()) {
			this.heartbeatTask = this.scheduler.schedule(this::checkHeartbeat, delayNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void checkHeartbeat() {
		long idle = System.nanoTime() - this.lastWriteNanos;
		if (idle >= this.heartbeatNanos) {
			// The write may block on a slow client, so it runs off the shared scheduler thread.
			this.executor.execute(this::writeHeartbeat);
			scheduleHeartbeatCheck(this.heartbeatNanos);
		}
		else {
			scheduleHeartbeatCheck(this.heartbeatNanos - idle);
		}
	}

	private void writeHeartbeat() {
		// A write in progress is activity enough.
		if (!this.writeLock.tryLock()) {
			return;
		}
		try {
			if (isEnded()) {
				return;
			}
			this.out.write(HEARTBEAT);
			this.out.flush();
			this.lastWriteNanos = System.nanoTime();
		}
		catch (IOException | RuntimeException ex) {
			clientGone(ex);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
