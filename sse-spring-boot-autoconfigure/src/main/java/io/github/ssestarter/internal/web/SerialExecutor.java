package io.github.ssestarter.internal.web;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: per-stream ordering
 * without a thread per stream.
 */
final class SerialExecutor implements Executor {

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final Executor delegate;

	SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.pending.getAndIncrement() == 0) {
			this.delegate.execute(this::drain);
		}
	}

	private void drain() {
		do {
			Runnable task = this.tasks.poll();
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				// Each task handles its own failures; one that escapes must not stall the others.
			}
		}
		while (this.pending.decrementAndGet() != 0);
	}

}
