package io.github.ssestarter.benchmarks.server.raw;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of the responses: the event stream's head, as Tomcat sends it for an SSE response
 * (chunked, no length), and complete responses with a JSON body or none.
 */
final class HttpResponses {

	/** The head of {@code GET /stream}; each event then follows as one chunk. */
	static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
			+ "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private HttpResponses() {
	}

	/**
	 * A complete response.
	 * @param status the status code
	 * @param json the body, or {@code null} for none
	 * @param close whether the connection closes after it
	 */
	static byte[] of(int status, String json, boolean close) {
		byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ")
			.append(status)
			.append(' ')
			.append(reason(status))
			.append("\r\n");
		if (json != null) {
			head.append("Content-Type: application/json\r\n");
		}
		head.append("Content-Length: ").append(body.length).append("\r\n");
		if (close) {
			head.append("Connection: close\r\n");
		}
		byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
		byte[] response = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, response, 0, headBytes.length);
		System.arraycopy(body, 0, response, headBytes.length, body.length);
		return response;
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 202 -> "Accepted";
			case 400 -> "Bad Request";
			case 404 -> "Not Found";
			case 409 -> "Conflict";
			default -> "Internal Server Error";
		};
	}

}
