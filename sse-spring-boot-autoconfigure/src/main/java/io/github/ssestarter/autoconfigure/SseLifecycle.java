package io.github.ssestarter.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops one of the starter's components with the application context, in the phase its
 * place in the shutdown asks for. The components themselves know nothing of Spring's life cycle.
 */
final class SseLifecycle implements SmartLifecycle {

	/**
	 * The broadcaster and resumable streams: they stop first, so that subscribers still receive
	 * what was published and other instances hear of cancelled streams while the shared log and
	 * the connections are up.
	 */
	static final int BROADCAST_PHASE = SmartLifecycle.DEFAULT_PHASE - 256;

	/**
	 * The connections and the shared log: streams end before the web server's graceful shutdown
	 * (which would otherwise wait for streams that never end on their own) and while their sockets
	 * are still open; the shared log stops after the broadcaster's topics and before the Redis
	 * connections.
	 */
	static final int CONNECTIONS_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final int phase;

	private final Runnable start;

	private final Runnable stop;

	private volatile boolean running;

	SseLifecycle(int phase, Runnable start, Runnable stop) {
		this.phase = phase;
		this.start = start;
		this.stop = stop;
	}

	@Override
	public void start() {
		this.start.run();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stop.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
