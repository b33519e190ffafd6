package io.github.ssestarter.internal.web;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The threads that deliver events and flush responses, one per lane, each lane with a queue of its
 * own. A stream is given a lane when it opens and its work runs there, in order.
 *
 * <p>Why not one shared pool: an event for 10,000 streams is 10,000 tasks. Through one locked
 * queue, the publisher and every dispatcher thread contend on it for each task; here a publisher
 * adds to a lane's queue without a lock, wakes a lane only when it sleeps, and a stream's objects
 * stay with one thread, and so in one core's cache.
 *
 * <p>Tasks must not block. One that throws is logged; its lane goes on with the next, with the
 * thread's interrupt status cleared.
 */
final class Dispatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Dispatcher.class);

	private final Lane[] lanes;

	private final AtomicInteger nextLane = new AtomicInteger();

	/**
	 * Starts the lanes' threads.
	 * @param lanes how many lanes, each with its thread; at least one
	 * @param threads creates the lanes' threads
	 */
	Dispatcher(int lanes, ThreadFactory threads) {
		if (lanes < 1) {
			throw new IllegalArgumentException("lanes must be at least 1, was " + lanes);
		}
		this.lanes = new Lane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new Lane(threads);
		}
	}

	/**
	 * The lane for a new stream, taken in turn.
	 * @return an executor that runs tasks on one thread, in the order given; it refuses tasks once
	 * the dispatcher is closed
	 */
	Executor lane() {
		return this.lanes[Math.floorMod(this.nextLane.getAndIncrement(), this.lanes.length)];
	}

	/** Stops the lanes once their current tasks have run; tasks still queued are dropped. */
	@Override
	public void close() {
		for (Lane lane : this.lanes) {
			lane.stop();
		}
	}

	private static final class Lane implements Executor, Runnable {

		private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		/** Set by the lane's thread before it parks; whoever clears it unparks the thread. */
		private final AtomicBoolean sleeping = new AtomicBoolean();

		private final Thread thread;

		private volatile boolean stopped;

		Lane(ThreadFactory threads) {
			this.thread = threads.newThread(this);
			this.thread.start();
		}

		@Override
		public void execute(Runnable task) {
			if (this.stopped) {
				throw new RejectedExecutionException("Event stream dispatcher stopped");
			}
			this.tasks.add(task);
			// The task is queued before the flag is read, and the lane sets the flag before it looks
			// at the queue a last time: either the lane sees the task or this sees the flag.
			if (this.sleeping.get() && this.sleeping.compareAndSet(true, false)) {
				LockSupport.unpark(this.thread);
			}
		}

		@Override
		public void run() {
			while (!this.stopped) {
				Runnable task = this.tasks.poll();
				if (task == null) {
					this.sleeping.set(true);
					task = this.tasks.poll();
					if (task == null) {
						LockSupport.park(this);
						this.sleeping.set(false);
						continue;
					}
					this.sleeping.set(false);
				}
				try {
					task.run();
				}
				catch (Throwable ex) {
					logger.error("An event stream dispatcher task failed", ex);
				}
				// A task that left the thread interrupted would make every park return at once, and
				// the next task's socket writes fail.
				Thread.interrupted();
			}
		}

		void stop() {
			this.stopped = true;
			this.tasks.clear();
			LockSupport.unpark(this.thread);
		}

	}

}
