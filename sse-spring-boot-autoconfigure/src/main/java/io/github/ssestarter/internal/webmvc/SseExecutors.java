package io.github.ssestarter.internal.webmvc;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads event streams run on. Pulling a {@code Stream} and handling a {@code Flux}'s elements
 * go to virtual threads when the JVM has them (Java 21+), and otherwise to bounded pools of
 * platform threads, one each; writes never block. Heartbeats and timeouts share one scheduler
 * thread, and the streams it finds over end on two closing threads.
 */
final class SseExecutors {

	private SseExecutors() {
	}

	/**
	 * Threads that pull blocking {@code Stream} sources, one per stream while it runs: virtual
	 * threads where the JVM has them, else at most {@code maxPlatformThreads}, which the caller
	 * must not exceed (see {@link SseConnectionManager}).
	 */
	static ExecutorService sourceExecutor(int maxPlatformThreads) {
		return virtualOr(maxPlatformThreads, "sse-source-");
	}

	/**
	 * Threads that handle the elements of sources that push (a {@code Flux}) and run what a
	 * resumable stream's source waited for: short work, but user code may run in it.
	 */
	static ExecutorService elementExecutor(int maxPlatformThreads) {
		return virtualOr(maxPlatformThreads, "sse-");
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
			thread.setContextClassLoader(SseExecutors.class.getClassLoader());
			return thread;
		};
	}

}
