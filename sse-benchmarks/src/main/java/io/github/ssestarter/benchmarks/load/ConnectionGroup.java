package io.github.ssestarter.benchmarks.load;

import java.util.List;

/**
 * The connections opened by one call of {@link LoadClient#open(int, boolean)}, to act on together
 * later, e.g. to reconnect them.
 */
public final class ConnectionGroup {

	private final List<SseConnection> connections;

	ConnectionGroup(List<SseConnection> connections) {
		this.connections = List.copyOf(connections);
	}

	List<SseConnection> connections() {
		return this.connections;
	}

	/**
	 * The number of connections in the group.
	 * @return the size
	 */
	public int size() {
		return this.connections.size();
	}

}
