package io.github.ssestarter.internal.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Opens event streams over real HTTP with the JDK client and reads them incrementally with the
 * project's own parser.
 */
public final class SseTestClient {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	public SseTestClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	public Stream open(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return new Stream(this.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Reads a raw response's status line and headers, up to the empty line that ends them, for
	 * tests that speak HTTP over a socket of their own (over HTTP/1.0, so that the body comes
	 * unchunked).
	 * @param in the response, positioned at its start; left at the start of the body
	 */
	public static void skipResponseHead(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Response ended in its headers");
			}
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
	}

	public static final class Stream implements AutoCloseable {

		public final HttpResponse<InputStream> response;

		public final List<String> comments = new CopyOnWriteArrayList<>();

		private final SseEventReader reader;

		Stream(HttpResponse<InputStream> response) {
			this.response = response;
			this.reader = new SseEventReader(response.body(), this.comments::add);
		}

		public int status() {
			return this.response.statusCode();
		}

		public String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		/** The whole body, for responses that are not event streams. */
		public String body() {
			try {
				return new String(this.response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The next event, or {@code null} at the end of the stream. */
		public SseEvent next() {
			try {
				return this.reader.next();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * The next event, waiting at most the given time.
		 * @throws java.io.InterruptedIOException if none came in time; the stream stays usable
		 */
		public SseEvent nextWithin(Duration timeout) throws IOException {
			return this.reader.nextWithin(timeout);
		}

		/**
		 * Every event until the stream ends.
		 * @param within how long the stream may take to end before the test fails
		 */
		public List<SseEvent> readAll(Duration within) {
			return assertTimeoutPreemptively(within, () -> {
				List<SseEvent> events = new ArrayList<>();
				for (SseEvent event = next(); event != null; event = next()) {
					events.add(event);
				}
				return events;
			});
		}

		/** The last event id the stream has set so far, id-only events included. */
		public String lastEventId() {
			return this.reader.lastEventId();
		}

		@Override
		public void close() {
			try {
				this.reader.close();
			}
			catch (IOException ex) {
				// closing a stream the server may already have closed
			}
		}

	}

}
