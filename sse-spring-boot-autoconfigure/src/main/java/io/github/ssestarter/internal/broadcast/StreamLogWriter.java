package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.broadcast.SseBackplane.StreamLogs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Copies one resumable stream into its shared log as its source runs: its start, each event, and
 * its end. Appends do not wait for the log, and one that fails only costs the stream its
 * resumption on other instances: the stream itself goes on here. Failures are logged once until
 * an append succeeds again, whichever stream they concern.
 */
final class StreamLogWriter {

	private static final Log logger = LogFactory.getLog(StreamLogWriter.class);

	/** How long the log of a cancelled stream is kept, so that other instances end their clients' streams. */
	private static final Duration CANCELLED_EXPIRY = Duration.ofSeconds(5);

	private final StreamLogs logs;

	private final String key;

	private final StreamLogEntries.Meta meta;

	private final int capacity;

	private final Duration window;

	/** Whether the last append of any stream failed; shared by the writers of one registry. */
	private final AtomicBoolean failing;

	StreamLogWriter(StreamLogs logs, String key, StreamLogEntries.Meta meta, int capacity, Duration window,
			AtomicBoolean failing) {
		this.logs = logs;
		this.failing = failing;
		this.key = key;
		this.meta = meta;
		this.capacity = capacity;
		this.window = window;
	}

	void started() {
		send(StreamLogEntries.start(this.meta), this.window);
	}

	void appended(long sequence, SseItem<String> item) {
		send(StreamLogEntries.event(this.meta, sequence, item), this.window);
	}

	void completed(long lastSequence) {
		send(StreamLogEntries.end(this.meta, lastSequence, StreamLogEntries.COMPLETED), this.window);
	}

	void cancelled(long lastSequence) {
		Duration expiry = (this.window.compareTo(CANCELLED_EXPIRY) < 0) ? this.window : CANCELLED_EXPIRY;
		send(StreamLogEntries.end(this.meta, lastSequence, StreamLogEntries.CANCELLED), expiry);
	}

	private void send(SseBackplaneEvent entry, Duration expiry) {
		try {
			this.logs.append(this.key, entry, this.capacity, expiry).whenComplete((id, failure) -> {
				if (failure != null) {
					failed(failure);
				}
				else if (this.failing.get() && this.failing.getAndSet(false)) {
					logger.info("Resumable streams are written to the shared log again");
				}
			});
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void failed(Throwable failure) {
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("Resumable streams cannot be written to the shared log, so their clients can resume them on "
					+ "this instance only: " + failure.getMessage());
		}
	}

}
