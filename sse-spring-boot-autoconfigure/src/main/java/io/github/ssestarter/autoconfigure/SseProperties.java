package io.github.ssestarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of Server-Sent Event streams, under {@code sse.*}.
 */
@ConfigurationProperties("sse")
public class SseProperties {

	/**
	 * Silence after which a heartbeat comment is written to keep the stream and proxies alive.
	 */
	private Duration heartbeat = Duration.ofSeconds(15);

	/**
	 * Longest lifetime of one stream, after which it ends and the client reconnects; unset for no limit.
	 */
	private @Nullable Duration timeout;

	/**
	 * Reconnection delay sent to every client as the first line of its stream; unset to leave the browser's default.
	 */
	private @Nullable Duration retry;

	/**
	 * Longest Last-Event-ID accepted, in characters; a longer one is answered with 400.
	 */
	private int maxLastEventIdLength = 256;

	private final Executor executor = new Executor();

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = heartbeat;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Duration getRetry() {
		return this.retry;
	}

	public void setRetry(@Nullable Duration retry) {
		this.retry = retry;
	}

	public int getMaxLastEventIdLength() {
		return this.maxLastEventIdLength;
	}

	public void setMaxLastEventIdLength(int maxLastEventIdLength) {
		this.maxLastEventIdLength = maxLastEventIdLength;
	}

	public Executor getExecutor() {
		return this.executor;
	}

	/**
	 * Threads that pull blocking sources and write to clients.
	 */
	public static class Executor {

		/**
		 * Most platform threads used for streams when the JVM has no virtual threads (before Java 21).
		 */
		private int maxThreads = 256;

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

	}

}
