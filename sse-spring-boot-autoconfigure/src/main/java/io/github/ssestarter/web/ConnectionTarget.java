package io.github.ssestarter.web;

import java.util.concurrent.Executor;

import io.github.ssestarter.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers a source's elements straight to one connection: the source ends with it.
 */
final class ConnectionTarget implements SourceTarget {

	private static final Log logger = LogFactory.getLog(ConnectionTarget.class);

	private final SseConnection connection;

	private final SseFrameEncoder encoder;

	ConnectionTarget(SseConnection connection, SseFrameEncoder encoder) {
		this.connection = connection;
		this.encoder = encoder;
	}

	@Override
	public boolean awaitReady() {
		return !this.connection.isEnded();
	}

	@Override
	public void whenReady(Runnable action) {
		if (!this.connection.isEnded()) {
			action.run();
		}
	}

	/** One at a time: the next element is asked for once the previous one is written. */
	@Override
	public long room() {
		return this.connection.isEnded() ? 0 : 1;
	}

	@Override
	public boolean accept(Object element) throws InterruptedException {
		return this.connection
			.send(this.encoder.encode(SseElements.toItem(element, this.connection.settings().eventType())));
	}

	@Override
	public void complete() {
		this.connection.end(SseConnectionOutcome.COMPLETED);
	}

	@Override
	public void fail(Throwable failure) {
		SourceFailures.end(this.connection, failure, logger);
	}

	@Override
	public void onCancel(Runnable action) {
		this.connection.onClose(action);
	}

	@Override
	public Executor executor() {
		return this.connection.blockingExecutor();
	}

}
