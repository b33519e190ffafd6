package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.broadcast.SseSink;
import io.github.ssestarter.internal.wire.SseFormatter;

import org.springframework.web.context.request.async.DeferredResult;

/**
 * One open event stream: the servlet response it writes to, its heartbeat and its lifetime.
 *
 * <p>The response is written with the Servlet API's non-blocking output, so a client that stops
 * reading never holds a thread: {@link #write} hands frames over only when the client can take them
 * and otherwise reports it busy, and the {@link #onWritable writable callback} says when it can
 * take more. Frames are written whole under one lock, so a heartbeat never splits an event.
 *
 * <p>The container reports writability on a thread that holds its own lock on the socket, which
 * writers need too; so that callback never takes the write lock, and only wakes writers.
 *
 * <p>The connection ends exactly once, through {@link #end}: the source is cancelled through the
 * handlers given to {@link #onClose}, the timers stop, and the asynchronous request completes.
 */
final class SseConnection implements SseSink {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	static final byte[] HEARTBEAT = SseFormatter.comment("heartbeat");

	private final ServletOutputStream out;

	private final DeferredResult<Object> result;

	private final SseEndpointSettings settings;

	private final String endpoint;

	private final @Nullable String topic;

	private final @Nullable String user;

	private final Executor executor;

	private final Executor dispatcher;

	private final ScheduledExecutorService scheduler;

	private final Executor closer;

	private final ReentrantLock writeLock = new ReentrantLock();

	private volatile @Nullable Runnable writableCallback;

	/** Guards {@link #probedInput}, which the container recycles once the request completes. */
	private final ReentrantLock probeLock = new ReentrantLock();

	/** The request input asked whether the client has gone, or {@code null}; guarded by the probe lock. */
	private @Nullable ServletInputStream probedInput;

	/** Whether the response has no non-blocking output, so that writes block; set before the first write. */
	private volatile boolean blocking;

	/** Whether written bytes wait in the response buffer for a flush; guarded by the write lock. */
	private boolean unflushed;

	private final List<Runnable> endHandlers = new CopyOnWriteArrayList<>();

	private final AtomicReference<@Nullable SseStreamOutcome> outcome = new AtomicReference<>();

	private final long heartbeatNanos;

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile @Nullable ScheduledFuture<?> heartbeatTask;

	private volatile @Nullable ScheduledFuture<?> timeoutTask;

	/**
	 * @param executor runs the work of the stream's source: handling its elements
	 * @param dispatcher runs short non-blocking work: broadcast deliveries, flushes
	 * @param scheduler runs heartbeats and timeouts
	 * @param closer ends connections that the scheduler found over, off its thread
	 */
	SseConnection(ServletOutputStream out, DeferredResult<Object> result, SseEndpointSettings settings,
			String endpoint, @Nullable String topic, @Nullable String user, Executor executor, Executor dispatcher,
			ScheduledExecutorService scheduler, Executor closer) {
		this.out = out;
		this.result = result;
		this.settings = settings;
		this.endpoint = endpoint;
		this.topic = topic;
		this.user = user;
		this.executor = executor;
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.closer = closer;
		this.heartbeatNanos = settings.heartbeat().toNanos();
	}

	SseEndpointSettings settings() {
		return this.settings;
	}

	/** The route template of the request that opened the stream. */
	String endpoint() {
		return this.endpoint;
	}

	/** The name of the request's principal, or {@code null} for an anonymous stream. */
	@Nullable String user() {
		return this.user;
	}

	/** The broadcaster topic the stream delivers, if it delivers one. */
	@Nullable String topic() {
		return this.topic;
	}

	/** Runs the work of the stream's source: handling its elements. */
	Executor elementExecutor() {
		return this.executor;
	}

	@Override
	public Executor executor() {
		return this.dispatcher;
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
					clientGone(failure);
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

	/** Whether the response takes a write now without blocking; always, for blocking output. */
	private boolean isReady() {
		return this.blocking || this.out.isReady();
	}

	/** Commits the status and headers now, before any event. */
	void commit() {
		this.writeLock.lock();
		try {
			if (isEnded()) {
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
			clientGone(ex);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/** Starts the heartbeat and the lifetime timer; called once the headers are out. */
	void startTimers() {
		scheduleHeartbeatCheck(this.heartbeatNanos);
		Duration timeout = this.settings.timeout();
		if (timeout != null) {
			this.timeoutTask = this.scheduler.schedule(() -> endOffTimer(SseStreamOutcome.TIMEOUT), timeout.toNanos(),
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

	@Nullable SseStreamOutcome outcome() {
		return this.outcome.get();
	}

	@Override
	public Result write(List<byte[]> frames) {
		this.writeLock.lock();
		try {
			if (isEnded()) {
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
			clientGone(ex);
			return Result.CLOSED;
		}
		finally {
			this.writeLock.unlock();
		}
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
		this.writeLock.lock();
		try {
			if (this.unflushed && !isEnded() && isReady()) {
				this.out.flush();
				this.unflushed = false;
			}
		}
		catch (IOException | RuntimeException ex) {
			clientGone(ex);
		}
		finally {
			this.writeLock.unlock();
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

	@Override
	public void closeForOverflow() {
		end(SseStreamOutcome.OVERFLOW);
	}

	@Override
	public void close() {
		end(SseStreamOutcome.COMPLETED);
	}

	/**
	 * Starts asking the request's input whether the client has gone; called once its body has been
	 * read to the end.
	 * @return {@code false} if the connection has ended already
	 */
	boolean probeFrom(ServletInputStream input) {
		this.probeLock.lock();
		try {
			if (isEnded()) {
				return false;
			}
			this.probedInput = input;
			return true;
		}
		finally {
			this.probeLock.unlock();
		}
	}

	/**
	 * Asks the request's input, without blocking, whether the client has closed the connection,
	 * and ends the connection if it has.
	 * @return whether to keep asking
	 */
	boolean probeClientGone() {
		boolean gone;
		this.probeLock.lock();
		try {
			ServletInputStream input = this.probedInput;
			if (input == null) {
				return false;
			}
			try {
				// Once the body is read, anything to read means the end of the connection, a reset,
				// or a pipelined request: the client is not waiting on this stream any more.
				gone = input.available() > 0;
			}
			catch (IOException | RuntimeException ex) {
				gone = true;
			}
			if (gone) {
				this.probedInput = null;
			}
		}
		finally {
			this.probeLock.unlock();
		}
		if (gone) {
			offTimer(() -> clientGone(new IOException("Client closed the connection")));
		}
		return !gone;
	}

	/** Stops asking the request's input; it must not be touched once the request completes. */
	private void stopProbing() {
		this.probeLock.lock();
		try {
			this.probedInput = null;
		}
		finally {
			this.probeLock.unlock();
		}
	}

	/**
	 * Ends the connection: cancels the source, stops the timers and completes the response. Only
	 * the first call has an effect.
	 */
	void end(SseStreamOutcome reason) {
		if (!this.outcome.compareAndSet(null, reason)) {
			return;
		}
		stopProbing();
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

	private void endOffTimer(SseStreamOutcome reason) {
		offTimer(() -> end(reason));
	}

	/** Runs an ending on the closing thread: the timer thread runs no user code. */
	private void offTimer(Runnable ending) {
		try {
			this.closer.execute(ending);
		}
		catch (RejectedExecutionException ex) {
			// The application is stopping: end here rather than not at all.
			ending.run();
		}
	}

	/** Ends the connection because the client has gone, as a failed write or read showed. */
	void clientGone(Throwable ex) {
		if (!isEnded() && logger.isDebugEnabled()) {
			logger.debug("Event stream client went away: " + ex);
		}
		end(SseStreamOutcome.CLIENT_CLOSED);
	}

	private void scheduleHeartbeatCheck(long delayNanos) {
		if (!isEnded()) {
			this.heartbeatTask = this.scheduler.schedule(this::checkHeartbeat, delayNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void checkHeartbeat() {
		long idle = System.nanoTime() - this.lastWriteNanos;
		if (idle >= this.heartbeatNanos) {
			writeHeartbeat();
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
			// A client that cannot take more is not idle; it is reported by the overflow policy.
			if (!isEnded() && isReady()) {
				writeAndFlush(HEARTBEAT);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Ending runs the source's clean-up, user code that must not hold up the timer.
			offTimer(() -> clientGone(ex));
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
