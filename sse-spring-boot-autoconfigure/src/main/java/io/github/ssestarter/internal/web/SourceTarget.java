package io.github.ssestarter.internal.web;

import java.util.concurrent.Executor;

/**
 * Where the source a controller method returned delivers its elements: straight to the client's
 * connection, or into a resumable stream that outlives it. The pumps that drive a {@code Stream}
 * or a {@code Flux} only know this.
 */
public interface SourceTarget {

	/**
	 * Waits until the target can take an element; for sources pulled on their own thread.
	 * @return {@code false} once the target wants no more: the source must stop
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean awaitReady() throws InterruptedException;

	/**
	 * Runs an action once the target can take an element: now, or later on another thread; never
	 * once the target wants no more.
	 * @param action what to run, such as asking a publisher for its next element
	 */
	void whenReady(Runnable action);

	/**
	 * How many more elements the target takes now without waiting.
	 * @return the count, 0 when the source must wait for {@link #whenReady}
	 */
	long room();

	/**
	 * Delivers one element, waiting for a slow client if the target is a connection.
	 * @param element the element, as the source gave it
	 * @return {@code false} once the target wants no more
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean accept(Object element) throws InterruptedException;

	/** The source has no more elements. */
	void complete();

	/**
	 * The source failed: the target ends as if it had completed, and the failure is logged once.
	 * @param failure why
	 */
	void fail(Throwable failure);

	/**
	 * Registers what stops the source when the target wants no more.
	 * @param action the action; run at once if that has already happened
	 */
	void onCancel(Runnable action);

	/**
	 * Runs blocking work for the source: pulling it, writing what it gives.
	 * @return the executor
	 */
	Executor executor();

}
