package io.github.ssestarter.web;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads event streams run on. Blocking work (pulling a {@code Stream}, writing to a slow
 * client) goes to virtual threads when the JVM has them (Java 21+), and otherwise to a bounded
 * pool of platform threads; heartbeats and timeouts share one scheduler thread.
 */
final class SseExecutors {

	private SseExecutors() {
	}

	static ExecutorService blockingExecutor(int maxPlatformThreads) {
		if (maxPlatformThreads < 1) {
			throw new IllegalArgumentException("maxPlatformThreads must be at least 1, was " + maxPlatformThreads);
		}
		ExecutorService virtual = virtualThreadExecutor();
		if (virtual != null) {
			return virtual;
		}
		ThreadPoolExecutor pool = new ThreadPoolExecutor(maxPlatformThreads, maxPlatformThreads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemonThreads("sse-"));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Threads for short work that never blocks (delivering broadcast events with non-blocking
	 * output): one per core, so that an event for thousands of subscribers wakes a few threads,
	 * not thousands.
	 */
	static ExecutorService dispatcher() {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				daemonThreads("sse-dispatch-"));
	}

	/**
	 * Threads that end connections the scheduler found over (timed out, or gone at a heartbeat):
	 * ending runs the source's clean-up, which is user code and may be slow.
	 */
	static ExecutorService closer() {
		return new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("sse-close-"));
	}

	static ScheduledThreadPoolExecutor scheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("sse-timer-"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	/** Java 21's {@code Thread.ofVirtual().name("sse-", 0).factory()}, reached reflectively from Java 17 code. */
	private static ExecutorService virtualThreadExecutor() {
		if (!virtualThreadsAvailable()) {
			return null;
		}
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "sse-", 0L);
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
			thread.setContextClassLoader(SseExecutors.class.getClassLoader());
			return thread;
		};
	}

}
