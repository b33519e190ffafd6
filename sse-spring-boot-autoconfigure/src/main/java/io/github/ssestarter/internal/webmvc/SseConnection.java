package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.broadcast.SseSink;

import org.springframework.web.context.request.async.DeferredResult;

/**
 * One open event stream: who opened it and how, its life cycle, and the parts that serve it (the
 * {@link ResponseWriter} that writes its frames, its {@link StreamTimers heartbeat and lifetime},
 * and the {@link ClientGoneProbe probe} that notices a client gone while the stream is quiet).
 *
 * <p>The connection ends exactly once, through {@link #end}: the source is cancelled through the
 * handlers given to {@link #onClose}, the timers and the probe stop, and the asynchronous request
 * completes.
 */
final class SseConnection implements SseSink {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	private final DeferredResult<Object> result;

	private final SseEndpointSettings settings;

	private final String endpoint;

	private final @Nullable String topic;

	private final @Nullable String user;

	private final Executor executor;

	private final Executor dispatcher;

	private final Executor closer;

	private final ResponseWriter writer;

	private final StreamTimers timers;

	private final ClientGoneProbe probe = new ClientGoneProbe();

	private final List<Runnable> endHandlers = new CopyOnWriteArrayList<>();

	private final AtomicReference<@Nullable SseStreamOutcome> outcome = new AtomicReference<>();

	/**
	 * @param executor runs the work of the stream's source: handling its elements
	 * @param dispatcher runs short non-blocking work: broadcast deliveries, flushes
	 * @param scheduler runs heartbeats and timeouts
	 * @param closer ends connections that the scheduler found over, off its thread
	 */
	SseConnection(ServletOutputStream out, DeferredResult<Object> result, SseEndpointSettings settings,
			String endpoint, @Nullable String topic, @Nullable String user, Executor executor, Executor dispatcher,
			ScheduledExecutorService scheduler, Executor closer) {
		this.result = result;
		this.settings = settings;
		this.endpoint = endpoint;
		this.topic = topic;
		this.user = user;
		this.executor = executor;
		this.dispatcher = dispatcher;
		this.closer = closer;
		this.writer = new ResponseWriter(out, this, dispatcher);
		this.timers = new StreamTimers(this, this.writer, scheduler, settings.heartbeat(), settings.timeout());
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
		this.writer.onWritable(callback);
	}

	/** See {@link ResponseWriter#useNonBlockingOutput()}. */
	void useNonBlockingOutput() {
		this.writer.useNonBlockingOutput();
	}

	/** Commits the status and headers now, before any event. */
	void commit() {
		this.writer.commit();
	}

	/** Starts the heartbeat and the lifetime timer; called once the headers are out. */
	void startTimers() {
		this.timers.start();
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
		return this.writer.write(frames);
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
		return this.probe.start(input);
	}

	/**
	 * Asks the request's input, without blocking, whether the client has closed the connection,
	 * and ends the connection if it has.
	 * @return whether to keep asking
	 */
	boolean probeClientGone() {
		if (this.probe.clientGone()) {
			offTimer(() -> clientGone(new IOException("Client closed the connection")));
			return false;
		}
		return this.probe.isProbing();
	}

	/**
	 * Ends the connection: cancels the source, stops the timers and completes the response. Only
	 * the first call has an effect.
	 */
	void end(SseStreamOutcome reason) {
		if (!this.outcome.compareAndSet(null, reason)) {
			return;
		}
		this.probe.stop();
		this.timers.stop();
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

	/** Ends the connection from the scheduler's thread, on the closing thread. */
	void endOffTimer(SseStreamOutcome reason) {
		offTimer(() -> end(reason));
	}

	/** Runs an ending on the closing thread: the timer thread runs no user code. */
	void offTimer(Runnable ending) {
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

}
