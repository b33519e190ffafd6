package io.github.ssestarter.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * Talks to the running sample over real HTTP: JSON requests, and event streams read with the
 * starter's own {@link SseEventReader}.
 */
final class SampleClient {

	static final String ALICE = basic("alice", "alice");

	static final String BOB = basic("bob", "bob");

	/** Longest wait for one event. */
	private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

	/** Blocking reads run here, so that a test can give up on one. */
	private static final ExecutorService READERS = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "sse-test-reader");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final String base;

	private final JsonMapper json;

	SampleClient(int port, JsonMapper json) {
		this.base = "http://127.0.0.1:" + port;
		this.json = json;
	}

	static String basic(String user, String password) {
		String credentials = user + ":" + password;
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	URI uri(String path) {
		return URI.create(this.base + path);
	}

	HttpResponse<String> get(String path, String... headers) {
		return send(request(path, headers).GET().build());
	}

	HttpResponse<String> delete(String path, String... headers) {
		return send(request(path, headers).DELETE().build());
	}

	HttpResponse<String> post(String path, String contentType, String body, String... headers) {
		return send(request(path, headers).header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build());
	}

	HttpResponse<String> postJson(String path, String body, String... headers) {
		return post(path, "application/json", body, headers);
	}

	JsonNode json(HttpResponse<String> response) {
		return this.json.readTree(response.body());
	}

	JsonNode json(SseEvent event) {
		return this.json.readTree(event.data());
	}

	/**
	 * Opens an event stream; the caller checks its status and closes it.
	 * @param path the path, with any query
	 * @param headers header names and values, alternately
	 * @return the open stream
	 */
	EventStream stream(String path, String... headers) {
		HttpRequest request = request(path, headers).header("Accept", "text/event-stream").GET().build();
		try {
			return new EventStream(this.http.send(request, BodyHandlers.ofInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The session cookie a response sets, as a {@code Cookie} header value. */
	static String sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("JSESSIONID="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No session cookie in " + response.headers()));
	}

	/** A form body of the given names and values, alternately. */
	static String form(String... namesAndValues) {
		StringBuilder form = new StringBuilder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			if (form.length() > 0) {
				form.append('&');
			}
			form.append(namesAndValues[i])
				.append('=')
				.append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
		}
		return form.toString();
	}

	/**
	 * A live event stream.
	 */
	static final class EventStream implements AutoCloseable {

		private final HttpResponse<InputStream> response;

		private final SseEventReader reader;

		EventStream(HttpResponse<InputStream> response) {
			this.response = response;
			this.reader = new SseEventReader(response.body());
		}

		int status() {
			return this.response.statusCode();
		}

		@Nullable String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		/**
		 * The next event, failing the test if none comes in time.
		 * @return the event, or {@code null} if the stream ended
		 */
		@Nullable SseEvent next() {
			Future<@Nullable SseEvent> next = READERS.submit(this.reader::next);
			try {
				return next.get(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				next.cancel(true);
				return fail("No event within " + EVENT_TIMEOUT);
			}
			catch (ExecutionException ex) {
				return fail("Reading the stream failed", ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			try {
				this.response.body().close();
			}
			catch (IOException ex) {
				// The test is done with it either way.
			}
		}

	}

}
