package io.github.ssestarter.internal.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.github.ssestarter.SseStreamOutcome;

/**
 * The streams open now, from the moment their connection is registered until it ends: what the
 * counts report and what ends streams in bulk (all of them, or one user's).
 */
final class OpenConnections {

	private final Set<SseConnection> open = ConcurrentHashMap.newKeySet();

	void add(SseConnection connection) {
		this.open.add(connection);
	}

	void remove(SseConnection connection) {
		this.open.remove(connection);
	}

	int count() {
		return this.open.size();
	}

	/** The counts by the route template of the requests that opened them, sorted by it. */
	Map<String, Integer> countByEndpoint() {
		Map<String, Integer> counts = new TreeMap<>();
		for (SseConnection connection : this.open) {
			counts.merge(connection.endpoint(), 1, Integer::sum);
		}
		return counts;
	}

	/**
	 * Ends the streams that match, normally.
	 * @return how many it ended (streams ending already are not counted)
	 */
	int endAll(Predicate<SseConnection> which) {
		int ended = 0;
		for (SseConnection connection : this.open) {
			if (which.test(connection) && !connection.isEnded()) {
				connection.end(SseStreamOutcome.COMPLETED);
				ended++;
			}
		}
		return ended;
	}

	/**
	 * Writes a last frame to every stream that can take it now, without waiting for one that
	 * cannot (it reconnects anyway once its stream ends), then ends them all normally.
	 */
	void endAllAfter(byte[] lastFrame) {
		for (SseConnection connection : this.open) {
			connection.write(List.of(lastFrame));
			connection.end(SseStreamOutcome.COMPLETED);
		}
	}

}
