package io.github.ssestarter.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.protocol.EpochMicros;

/**
 * One SSE subscription of the load generator: a non-blocking socket, the request, the response
 * decoding and the checks on each event. It survives reconnection, keeping its last event id and
 * sequence check.
 *
 * <p>Every method runs on the thread of the {@link SelectorLoop} that owns the connection.
 */
final class SseConnection implements SseEventListener {

	private enum State {

		IDLE, CONNECTING, REQUESTING, READING_HEAD, STREAMING, CLOSED

	}

	private static final int SLOW_RECEIVE_BUFFER = 4096;

	private final SelectorLoop loop;

	private final LoadStats stats;

	private final InetSocketAddress server;

	private final InetAddress source;

	private final boolean slow;

	private final SseEventParser parser = new SseEventParser(this);

	private final SequenceTracker tracker = new SequenceTracker();

	private State state = State.IDLE;

	private SocketChannel channel;

	private SelectionKey key;

	private ByteBuffer request;

	private HttpResponseHead head;

	private ByteSink body;

	private ChunkedDecoder chunked;

	private boolean queued;

	private long readMicros;

	private long droppedAtMicros = -1;

	private long reconnectedAtMicros = -1;

	SseConnection(SelectorLoop loop, LoadStats stats, InetSocketAddress server, InetAddress source, boolean slow) {
		this.loop = loop;
		this.stats = stats;
		this.server = server;
		this.source = source;
		this.slow = slow;
	}

	SelectorLoop loop() {
		return this.loop;
	}

	boolean isSlow() {
		return this.slow;
	}

	/**
	 * Whether the request has been sent and the connection not closed since.
	 */
	boolean isOpen() {
		return this.state == State.READING_HEAD || this.state == State.STREAMING;
	}

	SequenceTracker tracker() {
		return this.tracker;
	}

	/**
	 * Marks the connection as waiting to be opened.
	 * @return false when it already was
	 */
	boolean markQueued() {
		if (this.queued) {
			return false;
		}
		this.queued = true;
		return true;
	}

	/**
	 * Opens the socket, binds it to its source address and starts connecting.
	 */
	void connect(Selector selector) {
		this.queued = false;
		this.request = ByteBuffer.wrap(requestBytes());
		this.head = new HttpResponseHead();
		this.parser.resetStream();
		if (this.droppedAtMicros >= 0) {
			this.reconnectedAtMicros = EpochMicros.now();
		}
		this.state = State.CONNECTING;
		try {
			this.channel = SocketChannel.open();
			this.channel.configureBlocking(false);
			if (this.slow) {
				this.channel.setOption(StandardSocketOptions.SO_RCVBUF, SLOW_RECEIVE_BUFFER);
			}
			this.channel.bind(new InetSocketAddress(this.source, 0));
			if (this.channel.connect(this.server)) {
				this.key = this.channel.register(selector, SelectionKey.OP_WRITE, this);
				this.state = State.REQUESTING;
			}
			else {
				this.key = this.channel.register(selector, SelectionKey.OP_CONNECT, this);
			}
		}
		catch (IOException ex) {
			fail();
		}
	}

	void onConnectable() {
		try {
			if (this.channel.finishConnect()) {
				this.state = State.REQUESTING;
				this.key.interestOps(SelectionKey.OP_WRITE);
			}
		}
		catch (IOException ex) {
			fail();
		}
	}

	void onWritable() {
		try {
			this.channel.write(this.request);
			if (!this.request.hasRemaining()) {
				this.request = null;
				this.state = State.READING_HEAD;
				this.key.interestOps(SelectionKey.OP_READ);
				this.loop.handshakeEnded();
				this.stats.requestSent();
			}
		}
		catch (IOException ex) {
			fail();
		}
	}

	/**
	 * Reads what the socket has into the loop's buffer and parses it.
	 */
	void onReadable(ByteBuffer buffer) {
		this.readMicros = EpochMicros.now();
		try {
			int read;
			do {
				buffer.clear();
				read = this.channel.read(buffer);
				if (read > 0) {
					consume(buffer.array(), read);
				}
			}
			while (read == buffer.capacity() && this.state != State.CLOSED && this.key.interestOps() != 0);
			if (read < 0) {
				closedByServer();
			}
		}
		catch (IOException | MalformedResponseException ex) {
			closedByServer();
		}
	}

	/**
	 * Closes the stream (normally, with FIN) and remembers when, so that the next {@link #connect}
	 * resumes from the last event id and times how long it takes to catch up.
	 */
	void dropForReconnect() {
		closeChannel(false);
		this.droppedAtMicros = EpochMicros.now();
	}

	/**
	 * Closes the stream at once, with a reset, leaving no TIME_WAIT socket behind.
	 */
	void abort() {
		closeChannel(true);
	}

	/**
	 * Closes the stream normally, with FIN, as a browser does when its tab closes.
	 */
	void closeNormally() {
		closeChannel(false);
	}

	void expectAfter(long sequence) {
		this.tracker.expectAfter(sequence);
	}

	@Override
	public void onEvent(SseEvent event) {
		long publishMicros = event.dataLeadingNumber();
		this.stats.delivered((publishMicros > 0) ? Math.max(0, this.readMicros - publishMicros) : -1, this.readMicros);
		long sequence = event.dataSecondNumber();
		if (sequence >= 0) {
			long skipped = this.tracker.accept(sequence);
			if (skipped == SequenceTracker.DUPLICATE) {
				this.stats.duplicate();
			}
			else if (skipped > 0) {
				this.stats.lost(skipped);
			}
		}
		if (this.reconnectedAtMicros >= 0 && publishMicros >= this.reconnectedAtMicros) {
			this.stats.caughtUp(this.readMicros - this.droppedAtMicros);
			this.reconnectedAtMicros = -1;
		}
	}

	@Override
	public void onComment() {
		this.stats.comment();
	}

	private void consume(byte[] bytes, int length) {
		int offset = 0;
		if (this.state == State.READING_HEAD) {
			int used = this.head.feed(bytes, 0, length);
			if (used < 0) {
				return;
			}
			offset = used;
			if (!startStreaming()) {
				return;
			}
		}
		if (offset < length && this.state == State.STREAMING) {
			this.body.accept(bytes, offset, length - offset);
			if (this.chunked != null && this.chunked.isDone()) {
				closedByServer();
			}
		}
	}

	private boolean startStreaming() {
		if (this.head.status() != 200) {
			this.stats.rejected();
			close(true, false);
			return false;
		}
		this.chunked = this.head.isChunked() ? new ChunkedDecoder(this.parser) : null;
		this.body = (this.chunked != null) ? this.chunked : this.parser;
		this.head = null;
		this.state = State.STREAMING;
		this.stats.streamStarted();
		if (this.slow) {
			this.key.interestOps(0);
		}
		return true;
	}

	private void fail() {
		this.stats.connectFailed();
		close(true, false);
	}

	private void closedByServer() {
		close(false, true);
	}

	private void closeChannel(boolean reset) {
		close(reset, false);
	}

	/**
	 * Closes the socket and settles the accounting for the state the connection was in.
	 */
	private void close(boolean reset, boolean byServer) {
		switch (this.state) {
			case CONNECTING, REQUESTING -> {
				this.loop.handshakeEnded();
				if (byServer) {
					this.stats.connectFailed();
				}
			}
			case READING_HEAD -> this.stats.closed(false, byServer);
			case STREAMING -> this.stats.closed(true, byServer);
			case IDLE, CLOSED -> {
			}
		}
		this.state = State.CLOSED;
		if (this.channel == null) {
			return;
		}
		try {
			if (reset && this.channel.isOpen()) {
				this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
		this.channel = null;
		this.key = null;
	}

	private byte[] requestBytes() {
		StringBuilder request = new StringBuilder(160).append("GET ")
			.append(BenchmarkContract.STREAM)
			.append(" HTTP/1.1\r\nHost: ")
			.append(this.server.getAddress().getHostAddress())
			.append(':')
			.append(this.server.getPort())
			.append("\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n");
		String lastEventId = this.parser.lastEventId();
		if (!lastEventId.isEmpty()) {
			request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
		}
		return request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
	}

}
