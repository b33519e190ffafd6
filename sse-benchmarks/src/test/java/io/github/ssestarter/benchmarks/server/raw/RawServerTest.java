package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.ssestarter.benchmarks.protocol.EventPayload;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RawServerTest {

	private static final Pattern CHUNK = Pattern
		.compile("([0-9a-f]+)\r\n(id: (\\d+)\nevent: tick\ndata: ([^\n]*)\n\n)\r\n");

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private RawServer server;

	private InetSocketAddress address;

	@BeforeEach
	void start() throws IOException {
		this.server = RawServer.start(new InetSocketAddress("127.0.0.1", 0), 2);
		this.address = this.server.address();
	}

	@AfterEach
	void stop() throws IOException {
		this.server.close();
	}

	@Test
	void streamsEachEventAsOneChunkToEverySubscriberAndDropsAClosedStream() throws Exception {
		try (Socket first = subscribe(); Socket second = subscribe()) {
			soon().until(() -> stats().contains("\"subscribers\":2,"));
			assertThat(send("POST", "/publish?count=3&rate=0&size=16").statusCode()).isEqualTo(202);
			for (Socket socket : new Socket[] { first, second }) {
				String received = readUntil(socket.getInputStream(), "id: 3\n");
				assertThat(received).startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
						+ "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
				assertThat(assertContiguous(received, 1)).isEqualTo(3);
				Matcher chunk = CHUNK.matcher(received);
				for (int id = 1; id <= 3; id++) {
					assertThat(chunk.find()).isTrue();
					assertThat(EventPayload.sequence(chunk.group(4))).isEqualTo(id);
				}
			}
			soon().until(() -> stats().contains("\"publishing\":false"));
			assertThat(stats()).matches("\\{\"published\":3,\"lastSequence\":3,\"subscribers\":2,\"openConnections\":2,"
					+ "\"publishing\":false,\"failures\":0,\"lastRunSeconds\":[0-9.E-]+}");
		}
		soon().until(() -> stats().contains("\"subscribers\":0,"));
	}

	@Test
	void refusesASecondRunWhileOneIsGoingAndStops() throws Exception {
		assertThat(stats()).endsWith("\"lastRunSeconds\":\"NaN\"}");
		assertThat(send("POST", "/publish?count=1000000&rate=1000").statusCode()).isEqualTo(202);
		HttpResponse<String> refused = send("POST", "/publish?count=1");
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("\"publishing\":true");
		assertThat(send("POST", "/publish/stop").statusCode()).isEqualTo(200);
		soon().until(() -> stats().contains("\"publishing\":false"));
		assertThat(send("POST", "/publish").statusCode()).isEqualTo(400);
	}

	@Test
	void answersPipelinedRequestsInOrderSkippingBodiesAndClosesAfterAMalformedOne() throws Exception {
		try (Socket socket = new Socket(this.address.getAddress(), this.address.getPort())) {
			socket.getOutputStream()
				.write(("POST /gc HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
						+ "GET /stats/released?since=0 HTTP/1.1\r\n\r\nGET /nothing HTTP/1.1\r\n\r\nNOT HTTP\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(answers).containsPattern("^HTTP/1.1 200 OK\r\n[^{]*\\{\"heapUsed\":\\d+,\"heapCommitted\":\\d+,"
					+ "\"directUsed\":\\d+}HTTP/1.1 200 OK\r\n[^\\[]*\\[]HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
					+ "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n$");
		}
	}

	private static ConditionFactory soon() {
		return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5));
	}

	private Socket subscribe() throws IOException {
		return subscribe(0);
	}

	private Socket subscribe(int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		if (receiveBuffer > 0) {
			socket.setReceiveBufferSize(receiveBuffer);
		}
		socket.connect(this.address);
		socket.setSoTimeout(5000);
		socket.getOutputStream()
			.write("GET /stream HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 99\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	static String readUntil(InputStream in, String end) throws IOException {
		StringBuilder received = new StringBuilder();
		byte[] buffer = new byte[64 * 1024];
		int found;
		while ((found = received.indexOf(end, Math.max(0, received.length() - 64 * 1024 - end.length()))) < 0) {
			int read = in.read(buffer);
			assertThat(read).as("bytes before the end of stream").isPositive();
			received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
		}
		// the rest of that chunk
		while (received.indexOf("\n\n\r\n", found) < 0) {
			received.append((char) in.read());
		}
		return received.toString();
	}

	/**
	 * Asserts that a stream holds its head, then nothing but whole chunks with contiguous ids.
	 * @param received the stream as read
	 * @param first the id of its first event
	 * @return the id of its last event, {@code first - 1} when none
	 */
	static long assertContiguous(String received, long first) {
		assertThat(received).startsWith(new String(HttpResponses.STREAM_HEAD, StandardCharsets.US_ASCII));
		Matcher chunk = CHUNK.matcher(received);
		long id = first - 1;
		int end = HttpResponses.STREAM_HEAD.length;
		while (chunk.find()) {
			assertThat(chunk.start()).isEqualTo(end);
			assertThat(chunk.group(3)).isEqualTo(Long.toString(++id));
			assertThat(Integer.parseInt(chunk.group(1), 16)).isEqualTo(chunk.group(2).length());
			end = chunk.end();
		}
		return id;
	}

	private String stats() throws Exception {
		return send("GET", "/stats").body();
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.address.getPort() + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
