package io.github.ssestarter.internal.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.broadcast.SseSink;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One open event stream, on either web stack: who opened it and how, its life cycle, its
 * {@link StreamTimers heartbeat and lifetime}, and the {@link ResponseChannel} that writes its
 * frames to the response.
 *
 * <p>The connection ends exactly once, through {@link #end}: the source is cancelled through the
 * handlers given to {@link #onClose}, the timers stop, and the response completes.
 */
public final class SseConnection implements SseSink {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	private final SseEndpointSettings settings;

	private final String endpoint;

	private final @Nullable String topic;

	private final @Nullable String user;

	private final StreamThreads threads;

	/** Runs the stream's deliveries and flushes, one at a time. */
	private final Executor lane;

	private final ResponseChannel channel;

	private final StreamTimers timers;

	private final List<Runnable> endHandlers = new CopyOnWriteArrayList<>();

	private final AtomicReference<@Nullable SseStreamOutcome> outcome = new AtomicReference<>();

	/**
	 * @param channel creates the response channel the connection writes to; it may keep the
	 * connection, to end it when the client is found gone
	 */
	SseConnection(SseEndpointSettings settings, String endpoint, @Nullable String topic, @Nullable String user,
			StreamThreads threads, Function<SseConnection, ResponseChannel> channel) {
		this.settings = settings;
		this.endpoint = endpoint;
		this.topic = topic;
		this.user = user;
		this.threads = threads;
		this.lane = threads.dispatcherLane();
		this.channel = channel.apply(this);
		this.timers = new StreamTimers(this, this.channel, threads.scheduler(), settings.heartbeat(),
				settings.timeout());
	}

	public SseEndpointSettings settings() {
		return this.settings;
	}

	/**
	 * The route template of the request that opened the stream.
	 * @return the template
	 */
	public String endpoint() {
		return this.endpoint;
	}

	/**
	 * The name of the request's principal.
	 * @return the name, or {@code null} for an anonymous stream
	 */
	public @Nullable String user() {
		return this.user;
	}

	/**
	 * The broadcaster topic the stream delivers, if it delivers one.
	 * @return the topic, or {@code null}
	 */
	public @Nullable String topic() {
		return this.topic;
	}

	/**
	 * Runs the work of the stream's source: handling its elements.
	 * @return the executor
	 */
	public Executor elementExecutor() {
		return this.threads.elements();
	}

	@Override
	public Executor executor() {
		return this.lane;
	}

	@Override
	public void onWritable(Runnable callback) {
		this.channel.onWritable(callback);
	}

	/** Starts the heartbeat and the lifetime timer; called once the headers are out. */
	public void startTimers() {
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

	/**
	 * Whether the connection has ended.
	 * @return whether it has
	 */
	public boolean isEnded() {
		return this.outcome.get() != null;
	}

	/**
	 * How the connection ended.
	 * @return the outcome, or {@code null} while it is open
	 */
	public @Nullable SseStreamOutcome outcome() {
		return this.outcome.get();
	}

	@Override
	public Result write(List<byte[]> frames) {
		return this.channel.write(frames);
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
	 * Ends the connection: cancels the source, stops the timers and completes the response. Only
	 * the first call has an effect.
	 * @param reason how it ended
	 */
	public void end(SseStreamOutcome reason) {
		if (!this.outcome.compareAndSet(null, reason)) {
			return;
		}
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
		this.channel.complete();
	}

	/**
	 * Runs an ending on the closing thread, so that a timer or an I/O thread that found the
	 * connection over runs no user code (ending runs the source's clean-up).
	 * @param ending what ends the connection
	 */
	public void endElsewhere(Runnable ending) {
		try {
			this.threads.closer().execute(ending);
		}
		catch (RejectedExecutionException ex) {
			// The application is stopping: end here rather than not at all.
			ending.run();
		}
	}

	/**
	 * Ends the connection because the client has gone, as a failed write or read showed.
	 * @param ex what showed it
	 */
	public void clientGone(Throwable ex) {
		if (!isEnded() && logger.isDebugEnabled()) {
			logger.debug("Event stream client went away: " + ex);
		}
		end(SseStreamOutcome.CLIENT_CLOSED);
	}

}
