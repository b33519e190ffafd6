package io.github.ssestarter.benchmarks.server.raw;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A parsed request head: what the benchmark contract needs of it, the length of the body to skip
 * and whether the connection stays open after the response. A head that is not well-formed
 * HTTP/1.x, or announces a body in chunked coding, is {@link Malformed}.
 *
 * @param method the method, e.g. {@code GET}
 * @param path the target up to {@code ?}
 * @param query the target after {@code ?}, empty when none
 * @param contentLength the body length, {@code 0} when none
 * @param keepAlive whether another request may follow on the connection
 */
record HttpRequest(String method, String path, String query, long contentLength, boolean keepAlive) {

	/**
	 * Parses a head.
	 * @param bytes holds the head from {@code offset}, ending with its empty line
	 * @param offset where it starts
	 * @param length its length, the final {@code CRLFCRLF} included
	 * @return the request
	 * @throws Malformed when it is not a well-formed HTTP/1.x request head
	 */
	static HttpRequest parse(byte[] bytes, int offset, int length) {
		String[] lines = new String(bytes, offset, length, StandardCharsets.ISO_8859_1).split("\r\n");
		String[] requestLine = (lines.length > 0) ? lines[0].split(" ", -1) : new String[0];
		if (requestLine.length != 3 || !isMethod(requestLine[0]) || !requestLine[1].startsWith("/")) {
			throw new Malformed("Bad request line");
		}
		boolean http11 = requestLine[2].equals("HTTP/1.1");
		if (!http11 && !requestLine[2].equals("HTTP/1.0")) {
			throw new Malformed("Not HTTP/1.x");
		}
		long contentLength = -1;
		boolean close = false;
		boolean keepAlive = http11;
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i];
			int colon = line.indexOf(':');
			if (colon <= 0 || hasWhitespace(line, colon) || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
				throw new Malformed("Bad header line");
			}
			String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			switch (name) {
				case "content-length" -> {
					long parsed = contentLength(value);
					if (contentLength >= 0 && contentLength != parsed) {
						throw new Malformed("Conflicting Content-Length");
					}
					contentLength = parsed;
				}
				case "transfer-encoding" -> throw new Malformed("Request bodies in a transfer coding are not supported");
				case "connection" -> {
					for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
						close |= token.trim().equals("close");
						keepAlive |= token.trim().equals("keep-alive");
					}
				}
				default -> {
				}
			}
		}
		String target = requestLine[1];
		int question = target.indexOf('?');
		String path = (question < 0) ? target : target.substring(0, question);
		String query = (question < 0) ? "" : target.substring(question + 1);
		return new HttpRequest(requestLine[0], path, query, Math.max(0, contentLength), keepAlive && !close);
	}

	/**
	 * Whether this is the given method on the given path.
	 */
	boolean is(String method, String path) {
		return this.method.equals(method) && this.path.equals(path);
	}

	/**
	 * A query parameter, URL-decoded: its first value, or the default when it is absent or empty.
	 * @throws IllegalArgumentException when the query has a bad escape
	 */
	String parameter(String name, String defaultValue) {
		for (String pair : this.query.split("&")) {
			int equals = pair.indexOf('=');
			String key = (equals < 0) ? pair : pair.substring(0, equals);
			if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
				String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
				return value.isEmpty() ? defaultValue : value;
			}
		}
		return defaultValue;
	}

	private static boolean isMethod(String token) {
		return !token.isEmpty() && token.chars().allMatch((c) -> c >= 'A' && c <= 'Z');
	}

	/** Whitespace in a header name, or a line starting with it (an obsolete folded header). */
	private static boolean hasWhitespace(String line, int colon) {
		for (int i = 0; i < colon; i++) {
			if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
				return true;
			}
		}
		return false;
	}

	private static long contentLength(String value) {
		if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new Malformed("Bad Content-Length");
		}
		return Long.parseLong(value);
	}

	/**
	 * A request that is not well-formed HTTP/1.x, answered with 400 and a closed connection.
	 */
	static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message, null, false, false);
		}

	}

}
