package io.github.ssestarter;

import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tells several listeners, one after another; a listener that throws is logged and skipped.
 */
final class CompositeSseListener implements SseListener {

	static final SseListener NONE = new SseListener() {
	};

	private static final Log logger = LogFactory.getLog(CompositeSseListener.class);

	private final SseListener[] listeners;

	CompositeSseListener(List<? extends SseListener> listeners) {
		this.listeners = listeners.toArray(new SseListener[0]);
	}

	@Override
	public void connectionOpened(String endpoint, @Nullable String topic) {
		each((listener) -> listener.connectionOpened(endpoint, topic));
	}

	@Override
	public void connectionEnded(String endpoint, @Nullable String topic, SseStreamOutcome outcome) {
		each((listener) -> listener.connectionEnded(endpoint, topic, outcome));
	}

	@Override
	public void eventPublished(String topic) {
		each((listener) -> listener.eventPublished(topic));
	}

	@Override
	public void eventsDelivered(String topic, int count, long[] latencyNanos) {
		each((listener) -> listener.eventsDelivered(topic, count, latencyNanos));
	}

	@Override
	public void eventsDropped(String topic, String reason, long count) {
		each((listener) -> listener.eventsDropped(topic, reason, count));
	}

	@Override
	public void replayed(String topic, String outcome, long replayed) {
		each((listener) -> listener.replayed(topic, outcome, replayed));
	}

	@Override
	public void topicRetired(String topic) {
		each((listener) -> listener.topicRetired(topic));
	}

	@Override
	public void streamDetached(String endpoint) {
		each((listener) -> listener.streamDetached(endpoint));
	}

	@Override
	public void streamResumed(String endpoint) {
		each((listener) -> listener.streamResumed(endpoint));
	}

	@Override
	public void streamExpired(String endpoint) {
		each((listener) -> listener.streamExpired(endpoint));
	}

	private void each(Consumer<SseListener> call) {
		for (SseListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("SseListener " + listener + " failed", ex);
			}
		}
	}

}
