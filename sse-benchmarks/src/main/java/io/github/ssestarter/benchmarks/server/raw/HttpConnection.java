package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A connection on the {@link HttpLoop}: the bytes read but not parsed yet, the body of the last
 * request still to skip, and the response bytes the socket has not taken.
 *
 * <p>Loop thread only.
 */
final class HttpConnection {

	/** A request head longer than this is refused. */
	static final int MAX_HEAD = 16 * 1024;

	/**
	 * Control responses are small: a client that leaves this much unread is not the load client.
	 * Well under {@link Stream#MAX_PENDING}, so that what a stream takes over always fits.
	 */
	private static final int MAX_UNSENT = 64 * 1024;

	final SocketChannel channel;

	SelectionKey key;

	/** Set once the last response is queued: the connection closes when it has gone. */
	boolean closing;

	private byte[] in = new byte[512];

	private int length;

	private long skip;

	private final Outbox out = new Outbox(MAX_UNSENT);

	HttpConnection(SocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * Reads what the socket has, up to a full buffer.
	 * @return false when the client has closed its end
	 */
	boolean read() throws IOException {
		if (this.length == this.in.length) {
			this.in = Arrays.copyOf(this.in, this.in.length * 2);
		}
		int read = this.channel.read(ByteBuffer.wrap(this.in, this.length, this.in.length - this.length));
		if (read < 0) {
			return false;
		}
		this.length += read;
		return true;
	}

	/**
	 * The next complete request read, the body of the one before skipped.
	 * @return the request, or {@code null} until more bytes arrive
	 * @throws HttpRequest.Malformed when the bytes are not a request
	 */
	HttpRequest next() {
		skipBody();
		if (this.skip > 0) {
			return null;
		}
		// empty lines before a request line are to be ignored
		int start = 0;
		while (start + 1 < this.length && this.in[start] == '\r' && this.in[start + 1] == '\n') {
			start += 2;
		}
		consume(start);
		int end = headEnd();
		if (end < 0) {
			if (this.length >= MAX_HEAD) {
				throw new HttpRequest.Malformed("Request head longer than " + MAX_HEAD + " bytes");
			}
			return null;
		}
		HttpRequest request = HttpRequest.parse(this.in, 0, end);
		consume(end);
		this.skip = request.contentLength();
		skipBody();
		return request;
	}

	/**
	 * Queues a response behind those the socket has not taken yet.
	 * @throws IOException when the client has left more than {@link #MAX_UNSENT} bytes unread
	 */
	void send(byte[] response) throws IOException {
		if (!this.out.add(ByteBuffer.wrap(response))) {
			throw new IOException("More than " + MAX_UNSENT + " bytes of responses unread");
		}
	}

	/**
	 * Writes the queued responses, in one write.
	 * @return whether all of them went
	 */
	boolean flush() throws IOException {
		return this.out.flushTo(this.channel);
	}

	/**
	 * The queued responses the socket has not taken, for a stream to send before its head.
	 */
	byte[] unsent() {
		return this.out.takeAll();
	}

	private void skipBody() {
		int skipped = (int) Math.min(this.skip, this.length);
		consume(skipped);
		this.skip -= skipped;
	}

	/**
	 * Where the head ends.
	 * @return the index after its {@code CRLFCRLF}, or {@code -1} when not read yet
	 */
	private int headEnd() {
		for (int i = 3; i < this.length; i++) {
			if (this.in[i] == '\n' && this.in[i - 1] == '\r' && this.in[i - 2] == '\n' && this.in[i - 3] == '\r') {
				return i + 1;
			}
		}
		return -1;
	}

	private void consume(int count) {
		if (count > 0) {
			System.arraycopy(this.in, count, this.in, 0, this.length - count);
			this.length -= count;
		}
	}

}
