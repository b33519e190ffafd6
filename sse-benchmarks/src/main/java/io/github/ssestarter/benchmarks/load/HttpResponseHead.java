package io.github.ssestarter.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Collects the status line and headers of an HTTP/1.1 response as they arrive and parses them once
 * complete. One instance per response.
 */
final class HttpResponseHead {

	private static final int MAX_SIZE = 16 * 1024;

	private byte[] bytes = new byte[512];

	private int length;

	private int status = -1;

	private boolean chunked;

	private String contentType = "";

	/**
	 * Takes bytes until the empty line that ends the head.
	 * @return how many of the given bytes belong to the head, or {@code -1} when all of them do and
	 * the head is not complete yet
	 */
	int feed(byte[] buffer, int offset, int count) {
		for (int i = 0; i < count; i++) {
			append(buffer[offset + i]);
			if (endsHead()) {
				parse();
				return i + 1;
			}
		}
		return -1;
	}

	boolean isComplete() {
		return this.status >= 0;
	}

	int status() {
		return this.status;
	}

	boolean isChunked() {
		return this.chunked;
	}

	String contentType() {
		return this.contentType;
	}

	private void append(byte b) {
		if (this.length == this.bytes.length) {
			if (this.length >= MAX_SIZE) {
				throw new MalformedResponseException("Response head longer than " + MAX_SIZE + " bytes");
			}
			this.bytes = Arrays.copyOf(this.bytes, this.length * 2);
		}
		this.bytes[this.length++] = b;
	}

	private boolean endsHead() {
		int n = this.length;
		if (n >= 2 && this.bytes[n - 1] == '\n' && this.bytes[n - 2] == '\n') {
			return true;
		}
		return n >= 4 && this.bytes[n - 1] == '\n' && this.bytes[n - 2] == '\r' && this.bytes[n - 3] == '\n'
				&& this.bytes[n - 4] == '\r';
	}

	private void parse() {
		String[] lines = new String(this.bytes, 0, this.length, StandardCharsets.ISO_8859_1).split("\r?\n");
		String[] statusLine = lines[0].split(" ", 3);
		if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
			throw new MalformedResponseException("Not an HTTP/1.x status line: " + lines[0]);
		}
		try {
			this.status = Integer.parseInt(statusLine[1]);
		}
		catch (NumberFormatException ex) {
			throw new MalformedResponseException("Bad status code in: " + lines[0]);
		}
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				header(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
			}
		}
		this.bytes = null;
	}

	private void header(String name, String value) {
		if (name.equals("transfer-encoding")) {
			this.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
		}
		else if (name.equals("content-type")) {
			this.contentType = value;
		}
	}

}
