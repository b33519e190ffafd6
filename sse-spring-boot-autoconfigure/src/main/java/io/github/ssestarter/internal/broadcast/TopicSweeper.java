package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The upkeep of the broadcaster's topics, on a daemon thread of its own between start and stop:
 * retires idle topics and, with a shared log, gives up the places held for events whose
 * transactions did not complete in time.
 */
final class TopicSweeper {

	/** Under the broadcaster's name, the one an application sets the logging of. */
	private static final Log logger = LogFactory.getLog(DefaultSseBroadcaster.class);

	private final TopicRegistry topics;

	private final BroadcastSettings settings;

	/** Whether topics follow a shared log, the only place where held places expire. */
	private final boolean sharedLog;

	private final Supplier<Duration> afterCommitTimeout;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * @param afterCommitTimeout how long a held place is waited for, as the warning about one given
	 * up tells
	 */
	TopicSweeper(TopicRegistry topics, BroadcastSettings settings, boolean sharedLog,
			Supplier<Duration> afterCommitTimeout) {
		this.topics = topics;
		this.settings = settings;
		this.sharedLog = sharedLog;
		this.afterCommitTimeout = afterCommitTimeout;
	}

	/**
	 * Starts sweeping: idle topics are looked for every half replay age (at least every 100 ms,
	 * at most every minute), expired places every second.
	 */
	void start() {
		long periodMillis = Math.max(100, Math.min(60_000, this.settings.replayMaxAge().toMillis() / 2));
		ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "sse-topics");
			thread.setDaemon(true);
			thread.setContextClassLoader(TopicSweeper.class.getClassLoader());
			return thread;
		});
		sweep.scheduleWithFixedDelay(this.topics::retireIdle, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
		if (this.sharedLog) {
			sweep.scheduleWithFixedDelay(this::discardExpiredPlaces, 1, 1, TimeUnit.SECONDS);
		}
		this.executor = sweep;
	}

	/** Stops sweeping, interrupting a sweep under way. */
	void stop() {
		ScheduledExecutorService sweep = this.executor;
		if (sweep != null) {
			sweep.shutdownNow();
		}
	}

	/** Gives up the events whose transactions did not complete in time, so that their topics flow again. */
	private void discardExpiredPlaces() {
		long now = System.nanoTime();
		for (Topic topic : this.topics.all()) {
			int discarded = topic.discardExpiredPlaces(now);
			if (discarded > 0) {
				logger.warn(discarded + " event(s) published inside a transaction on topic '" + topic.name()
						+ "' were given up: the transaction did not complete within " + this.afterCommitTimeout.get());
			}
		}
	}

}
