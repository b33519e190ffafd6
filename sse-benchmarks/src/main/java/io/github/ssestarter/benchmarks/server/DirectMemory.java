package io.github.ssestarter.benchmarks.server;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import org.springframework.util.ClassUtils;

/**
 * The native memory a server holds in direct buffers: the JDK's own ({@code ByteBuffer.allocateDirect},
 * which Tomcat and Jetty use) and, where Netty is on the class path, what Netty allocated outside the
 * JDK's accounting (its direct buffers without a cleaner, Reactor Netty's by default).
 */
final class DirectMemory {

	private static final boolean NETTY_PRESENT = ClassUtils.isPresent("io.netty.util.internal.PlatformDependent",
			DirectMemory.class.getClassLoader());

	private DirectMemory() {
	}

	/**
	 * The bytes held in direct buffers now.
	 * @return the bytes
	 */
	static long used() {
		long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
		return jdk + (NETTY_PRESENT ? NettyCounter.used() : 0);
	}

	/** Loaded only when Netty is present. */
	private static final class NettyCounter {

		static long used() {
			// -1 when Netty does not count, in which case its buffers are the JDK's and counted there.
			return Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
		}

	}

}
