package io.github.ssestarter.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.internal.wire.SseFormatter;

/**
 * One stream's heartbeat and lifetime, on the scheduler every stream shares: a heartbeat comment
 * after {@code heartbeat} without a write (any write resets it), and the end of the stream once its
 * timeout has passed.
 *
 * <p>The scheduler's thread runs no user code: what ends the stream, and so runs its source's
 * clean-up, is handed to the closing thread.
 */
final class StreamTimers {

	static final byte[] HEARTBEAT = SseFormatter.comment("heartbeat");

	private final SseConnection connection;

	private final ResponseChannel writer;

	private final ScheduledExecutorService scheduler;

	private final long heartbeatNanos;

	private final @Nullable Duration timeout;

	private volatile @Nullable ScheduledFuture<?> heartbeatTask;

	private volatile @Nullable ScheduledFuture<?> timeoutTask;

	StreamTimers(SseConnection connection, ResponseChannel writer, ScheduledExecutorService scheduler,
			Duration heartbeat, @Nullable Duration timeout) {
		this.connection = connection;
		this.writer = writer;
		this.scheduler = scheduler;
		this.heartbeatNanos = heartbeat.toNanos();
		this.timeout = timeout;
	}

	/** Starts the heartbeat and the lifetime timer; called once the headers are out. */
	void start() {
		scheduleHeartbeatCheck(this.heartbeatNanos);
		Duration timeout = this.timeout;
		if (timeout != null) {
			this.timeoutTask = this.scheduler.schedule(() -> this.connection.endElsewhere(() -> this.connection.end(SseStreamOutcome.TIMEOUT)),
					timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/** Stops both timers; a heartbeat check running now schedules no other. */
	void stop() {
		cancel(this.heartbeatTask);
		cancel(this.timeoutTask);
	}

	private void scheduleHeartbeatCheck(long delayNanos) {
		if (!this.connection.isEnded()) {
			this.heartbeatTask = this.scheduler.schedule(this::checkHeartbeat, delayNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void checkHeartbeat() {
		long idle = System.nanoTime() - this.writer.lastWriteNanos();
		if (idle >= this.heartbeatNanos) {
			writeHeartbeat();
			scheduleHeartbeatCheck(this.heartbeatNanos);
		}
		else {
			scheduleHeartbeatCheck(this.heartbeatNanos - idle);
		}
	}

	private void writeHeartbeat() {
		try {
			this.writer.writeIfIdle(HEARTBEAT);
		}
		catch (IOException | RuntimeException ex) {
			this.connection.endElsewhere(() -> this.connection.clientGone(ex));
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
