package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ClassUtils;

/**
 * Notices clients that closed their connection while their stream is quiet, without a thread per
 * connection. The Servlet API has no "client closed" callback, and a quiet stream finds out only
 * at its next write. But once a request has a {@link ReadListener}, Tomcat's
 * {@link ServletInputStream#available()} reads the socket without blocking, and reports the end of
 * the connection (or a reset) as data available. So each HTTP/1.x stream's request body is watched
 * to its end, and then one thread asks every watched stream every {@link #PERIOD}: a client that
 * left is noticed within about that long. Jetty's input does not read the socket there, but Jetty
 * can be asked to call back when the connection is readable, which it does at once
 * ({@link JettyConnectionWatch}). On HTTP/2, where the connection is shared, and on other
 * containers, streams are not watched and a client is noticed at the next write, at the latest the
 * next heartbeat. A stream written to within the last period is not asked: its writes notice.
 */
final class DisconnectWatch implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DisconnectWatch.class);

	/** How often watched streams are asked; what a closed client waits at most to be noticed. */
	static final Duration PERIOD = Duration.ofMillis(500);

	private static final long PERIOD_NANOS = PERIOD.toNanos();

	private final Set<ServletResponseChannel> watched = ConcurrentHashMap.newKeySet();

	/** Whether Jetty's API is there to watch Jetty's connections with. */
	private final boolean jetty = ClassUtils.isPresent("org.eclipse.jetty.ee11.servlet.ServletContextRequest",
			DisconnectWatch.class.getClassLoader());

	private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sse-watch");
		thread.setDaemon(true);
		thread.setContextClassLoader(DisconnectWatch.class.getClassLoader());
		return thread;
	});

	DisconnectWatch() {
		this.sweeper.scheduleWithFixedDelay(this::sweep, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts watching a stream's connection; called on the request's thread once asynchronous
	 * processing has started, before the first write.
	 */
	void watch(ServletResponseChannel channel, HttpServletRequest request) {
		if (!request.getProtocol().startsWith("HTTP/1")) {
			return;
		}
		ServletInputStream input;
		try {
			input = request.getInputStream();
			input.setReadListener(new BodyListener(channel, request, input));
		}
		catch (IOException | IllegalStateException | UnsupportedOperationException ex) {
			// The body was read already, or the request has no non-blocking input (MockMvc's).
			if (logger.isTraceEnabled()) {
				logger.trace("Event stream's connection cannot be watched: " + ex);
			}
		}
	}

	private void sweep() {
		long now = System.nanoTime();
		for (ServletResponseChannel channel : this.watched) {
			if (now - channel.lastWriteNanos() < PERIOD_NANOS) {
				// Written to since the last sweep: a write finds a client gone by itself, and
				// asking every busy stream would be thousands of reads a second for nothing.
				continue;
			}
			try {
				if (!channel.probeClientGone()) {
					this.watched.remove(channel);
				}
			}
			catch (RuntimeException ex) {
				this.watched.remove(channel);
				logger.debug("Watching an event stream's connection failed", ex);
			}
		}
	}

	@Override
	public void close() {
		this.sweeper.shutdownNow();
		this.watched.clear();
	}

	/** Reads the request body to its end (a GET has none), then hands the input to the sweep. */
	private final class BodyListener implements ReadListener {

		private final ServletResponseChannel channel;

		private final HttpServletRequest request;

		private final ServletInputStream input;

		private final byte[] discard = new byte[256];

		BodyListener(ServletResponseChannel channel, HttpServletRequest request, ServletInputStream input) {
			this.channel = channel;
			this.request = request;
			this.input = input;
		}

		@Override
		public void onDataAvailable() throws IOException {
			// A body nobody reads: drained, so that its end can be reached.
			while (this.input.isReady() && this.input.read(this.discard) != -1) {
			}
		}

		@Override
		public void onAllDataRead() {
			if (DisconnectWatch.this.jetty && JettyConnectionWatch.watch(this.channel.connection(), this.request)) {
				return;
			}
			if (this.channel.probeFrom(this.input)) {
				DisconnectWatch.this.watched.add(this.channel);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.channel.connection().clientGone(failure);
		}

	}

}
