package io.github.ssestarter.internal.broadcast;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A subscription ready to start on a connection, holding its topic until it does or is
 * abandoned, whichever comes first.
 */
final class PreparedSubscription implements Consumer<SseSink> {

	private final Consumer<SseSink> start;

	private final Runnable release;

	private final AtomicBoolean settled = new AtomicBoolean();

	PreparedSubscription(Consumer<SseSink> start, Runnable release) {
		this.start = start;
		this.release = release;
	}

	@Override
	public void accept(SseSink sink) {
		if (this.settled.compareAndSet(false, true)) {
			this.start.accept(sink);
		}
	}

	void abandon() {
		if (this.settled.compareAndSet(false, true)) {
			this.release.run();
		}
	}

}
