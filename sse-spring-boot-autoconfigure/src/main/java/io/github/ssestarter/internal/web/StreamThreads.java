package io.github.ssestarter.internal.web;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads event streams run on, owned here and released by {@link #close()}. Pulling a
 * {@code Stream} and handling a {@code Flux}'s elements go to virtual threads when the JVM has them
 * (Java 21+), and otherwise to bounded pools of platform threads, one each; writes never block.
 * Deliveries and flushes run on a dispatcher thread per core; heartbeats and timeouts share one
 * scheduler thread, and the streams it finds over end on two closing threads.
 */
final class StreamThreads implements AutoCloseable {

	private final int maxPlatformThreads;

	private final ExecutorService sources;

	/** Threads free to pull a {@code Stream}, where they are platform threads; {@code null} for virtual threads. */
	private final @Nullable Semaphore freeSourceThreads;

	private final ExecutorService elements;

	private final Dispatcher dispatcher;

	private final ScheduledThreadPoolExecutor scheduler;

	private final ExecutorService closer;

	/**
	 * @param maxPlatformThreads the size of each pool of platform threads, where virtual threads
	 * are not available
	 */
	StreamThreads(int maxPlatformThreads) {
		this.maxPlatformThreads = maxPlatformThreads;
		this.sources = virtualOr(maxPlatformThreads, "sse-source-");
		this.freeSourceThreads = (this.sources instanceof ThreadPoolExecutor) ? new Semaphore(maxPlatformThreads) : null;
		this.elements = virtualOr(maxPlatformThreads, "sse-");
		this.dispatcher = new Dispatcher(Math.max(2, Runtime.getRuntime().availableProcessors()),
				daemonThreads("sse-dispatch-"));
		this.scheduler = newScheduler();
		this.closer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				daemonThreads("sse-close-"));
	}

	int maxPlatformThreads() {
		return this.maxPlatformThreads;
	}

	/**
	 * Takes a thread to pull a blocking {@code Stream} source: always available with virtual
	 * threads, else one of the platform threads if one is free.
	 * @return what gives the thread back (it runs once, however often it is called), or
	 * {@code null} if every platform thread is pulling a source
	 */
	@Nullable Runnable reserveSourceThread() {
		Semaphore threads = this.freeSourceThreads;
		if (threads == null) {
			return () -> {
			};
		}
		if (!threads.tryAcquire()) {
			return null;
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				threads.release();
			}
		};
	}

	/** Pulls blocking {@code Stream} sources, each on a thread {@link #reserveSourceThread reserved} for it. */
	ExecutorService sources() {
		return this.sources;
	}

	/**
	 * Handles the elements of sources that push (a {@code Flux}) and runs what a resumable stream's
	 * source waited for: short work, but user code may run in it.
	 */
	ExecutorService elements() {
		return this.elements;
	}

	/**
	 * A lane for a new stream's short work that never blocks (delivering broadcast events with
	 * non-blocking output, flushing): one thread per core, so that an event for thousands of
	 * subscribers wakes a few threads, not thousands.
	 * @return the executor of the stream's lane
	 */
	Executor dispatcherLane() {
		return this.dispatcher.lane();
	}

	/** Runs every stream's heartbeat and timeout. */
	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * Ends the connections the scheduler found over (timed out, or gone at a heartbeat): ending
	 * runs the source's clean-up, which is user code and may be slow.
	 */
	ExecutorService closer() {
		return this.closer;
	}

	/** Stops every thread, waiting a little for the sources' to finish. */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.closer.shutdownNow();
		this.dispatcher.close();
		this.elements.shutdownNow();
		this.sources.shutdownNow();
		try {
			this.sources.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ExecutorService virtualOr(int maxPlatformThreads, String prefix) {
		if (maxPlatformThreads < 1) {
			throw new IllegalArgumentException("maxPlatformThreads must be at least 1, was " + maxPlatformThreads);
		}
		ExecutorService virtual = virtualThreadExecutor(prefix);
		if (virtual != null) {
			return virtual;
		}
		ThreadPoolExecutor pool = new ThreadPoolExecutor(maxPlatformThreads, maxPlatformThreads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemonThreads(prefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private static ScheduledThreadPoolExecutor newScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("sse-timer-"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	/** Java 21's {@code Thread.ofVirtual().name(prefix, 0).factory()}, reached reflectively from Java 17 code. */
	private static @Nullable ExecutorService virtualThreadExecutor(String prefix) {
		if (!virtualThreadsAvailable()) {
			return null;
		}
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
			ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
			Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
			return (ExecutorService) perTask.invoke(null, factory);
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			// Not the web application's class loader of whichever request thread started it.
			thread.setContextClassLoader(StreamThreads.class.getClassLoader());
			return thread;
		};
	}

}
