package io.github.ssestarter.sample;

import java.util.Objects;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A job that some worker advances from 0 to 100 percent, and that any number of clients may follow.
 */
final class Job {

	private final String id;

	private int percent; // guarded by this

	Job(String id) {
		this.id = id;
	}

	String id() {
		return this.id;
	}

	synchronized void advanceTo(int percent) {
		this.percent = Math.min(100, percent);
		notifyAll();
	}

	synchronized Progress progress() {
		return Progress.of(this.percent);
	}

	/**
	 * The job's progress now, then each change, up to and including 100 percent. A client that
	 * leaves interrupts the thread that waits for the next change, which ends the stream.
	 * @return the finite, blocking stream of progress
	 */
	Stream<Progress> follow() {
		return Stream.iterate(progress(), Objects::nonNull, (previous) -> previous.done() ? null : after(previous));
	}

	private synchronized @Nullable Progress after(Progress seen) {
		while (this.percent <= seen.percent()) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return Progress.of(this.percent);
	}

}
