package io.github.ssestarter.benchmarks.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the control endpoints of a server under test (everything in the benchmark contract but
 * the stream itself).
 */
final class ControlClient {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	ControlClient(String host, int port) {
		this.base = "http://" + host + ":" + port;
	}

	Stats stats() throws IOException, InterruptedException {
		return toStats(send(get(BenchmarkContract.STATS), 200));
	}

	/**
	 * Starts the server's publisher.
	 * @throws IllegalStateException when a previous run is still going
	 */
	Stats publish(long count, double rate, int payloadSize) throws IOException, InterruptedException {
		String query = "?count=" + count + "&rate=" + rate + "&size=" + payloadSize;
		return toStats(send(post(BenchmarkContract.PUBLISH + query), 202));
	}

	Stats stopPublishing() throws IOException, InterruptedException {
		return toStats(send(post(BenchmarkContract.STOP), 200));
	}

	/**
	 * Waits for the publisher to finish.
	 * @return whether it did within the timeout
	 */
	boolean awaitPublisherIdle(Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (stats().publishing()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(50);
		}
		return true;
	}

	/**
	 * When the server released event streams from a given time on, if it records that.
	 * @param sinceMicros epoch microseconds
	 * @return the release times in epoch microseconds, empty when the server does not record them
	 */
	long[] released(long sinceMicros) throws IOException, InterruptedException {
		JsonNode times = send(get(BenchmarkContract.RELEASED + "?since=" + sinceMicros), 200);
		long[] result = new long[times.size()];
		for (int i = 0; i < result.length; i++) {
			result[i] = times.get(i).asLong();
		}
		return result;
	}

	/**
	 * Runs a full GC in the server.
	 * @return the heap used after it, in bytes
	 */
	long heapUsedAfterGc() throws IOException, InterruptedException {
		return memoryAfterGc().heapUsed();
	}

	/**
	 * Runs a full GC in the server.
	 * @return the heap used after it and the memory held in direct buffers, in bytes
	 */
	Memory memoryAfterGc() throws IOException, InterruptedException {
		JsonNode body = send(post(BenchmarkContract.GC), 200);
		return new Memory(body.path("heapUsed").asLong(), body.path("directUsed").asLong());
	}

	/**
	 * A server's memory after a full GC.
	 *
	 * @param heapUsed the heap in use, bytes
	 * @param directUsed held in direct buffers (the JDK's and Netty's), bytes
	 */
	record Memory(long heapUsed, long directUsed) {
	}

	boolean isUp() {
		try {
			return this.http.send(get(BenchmarkContract.STATS), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path)).timeout(REQUEST_TIMEOUT).GET().build();
	}

	private HttpRequest post(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(REQUEST_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private JsonNode send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expectedStatus) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return this.json.readTree(response.body());
	}

	private static Stats toStats(JsonNode node) {
		return new Stats(node.path("published").asLong(), node.path("lastSequence").asLong(),
				node.path("subscribers").asInt(), node.path("openConnections").asInt(-1),
				node.path("publishing").asBoolean(), node.path("failures").asLong(),
				node.path("lastRunSeconds").asDouble(Double.NaN));
	}

	/**
	 * The server's statistics.
	 *
	 * @param published events published since start
	 * @param lastSequence sequence number of the last event
	 * @param subscribers subscribers held now
	 * @param openConnections event streams the server holds open now (its own count; for the
	 * starter {@code SseConnectionManager.openConnections()}), -1 when it does not say
	 * @param publishing whether the publisher is running
	 * @param failures events the topic refused
	 * @param lastRunSeconds how long the publisher's last finished run took (NaN before one ended)
	 */
	record Stats(long published, long lastSequence, int subscribers, int openConnections, boolean publishing,
			long failures, double lastRunSeconds) {
	}

}
