package io.github.ssestarter.internal.web;

import java.util.concurrent.Executor;

import io.github.ssestarter.internal.broadcast.ResumableStream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a source's elements into a resumable stream, whose clients come and go: the source
 * runs, held back only by the stream's buffer, until it completes or the stream is cancelled.
 */
public final class ResumableTarget implements SourceTarget {

	private static final Log logger = LogFactory.getLog(ResumableTarget.class);

	private final ResumableStream stream;

	private final @Nullable String eventType;

	private final Executor executor;

	public ResumableTarget(ResumableStream stream, @Nullable String eventType, Executor executor) {
		this.stream = stream;
		this.eventType = eventType;
		this.executor = executor;
	}

	@Override
	public boolean awaitReady() throws InterruptedException {
		return this.stream.awaitRoom();
	}

	@Override
	public void whenReady(Runnable action) {
		this.stream.whenRoom(action);
	}

	@Override
	public long room() {
		return this.stream.room();
	}

	@Override
	public boolean accept(Object element) {
		this.stream.append(SseElements.toItem(element, this.eventType));
		return true;
	}

	@Override
	public void complete() {
		this.stream.complete();
	}

	@Override
	public void fail(Throwable failure) {
		if (this.stream.isCancelled()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Resumable stream's source ended after the stream was cancelled: " + failure);
			}
			return;
		}
		logger.warn("Resumable stream's source failed; ending the stream", failure);
		this.stream.complete();
	}

	@Override
	public void onCancel(Runnable action) {
		this.stream.onCancel(action);
	}

	@Override
	public Executor executor() {
		return this.executor;
	}

}
