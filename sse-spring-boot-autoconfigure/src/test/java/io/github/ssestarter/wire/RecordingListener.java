package io.github.ssestarter.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SseParser.Listener} that records everything it is told.
 */
final class RecordingListener implements SseParser.Listener {

	final List<SseEvent> events = new ArrayList<>();

	final List<String> comments = new ArrayList<>();

	final List<Long> retries = new ArrayList<>();

	@Override
	public void onEvent(SseEvent event) {
		this.events.add(event);
	}

	@Override
	public void onComment(String comment) {
		this.comments.add(comment);
	}

	@Override
	public void onRetry(long millis) {
		this.retries.add(millis);
	}

}
