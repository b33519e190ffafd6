package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;

/**
 * The one thread that accepts connections and reads requests, keep-alive and pipelined, answering
 * the control endpoints itself. {@code GET /stream} leaves this loop: the socket, with its response
 * head, goes to the topic, whose writer threads own it from then on.
 */
final class HttpLoop implements Runnable {

	private static final long ACCEPT_ERROR_LOG_NANOS = 1_000_000_000L;

	private final ServerSocketChannel server;

	private final Selector selector;

	private final RawTopic topic;

	private final ControlEndpoints control;

	private final Thread thread;

	private long acceptErrorLoggedNanos = System.nanoTime() - ACCEPT_ERROR_LOG_NANOS;

	private volatile boolean running = true;

	HttpLoop(ServerSocketChannel server, RawTopic topic, ControlEndpoints control) throws IOException {
		this.server = server;
		this.topic = topic;
		this.control = control;
		this.selector = Selector.open();
		server.configureBlocking(false);
		server.register(this.selector, SelectionKey.OP_ACCEPT);
		// not a daemon: this thread keeps the server's JVM running
		this.thread = new Thread(this, "raw-http");
	}

	void start() {
		this.thread.start();
	}

	void close() throws InterruptedException {
		this.running = false;
		this.selector.wakeup();
		this.thread.join(1000);
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				this.selector.select(this::ready);
			}
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
		finally {
			closeAll();
		}
	}

	private void ready(SelectionKey key) {
		if (key.isAcceptable()) {
			accept();
			return;
		}
		HttpConnection connection = (HttpConnection) key.attachment();
		try {
			if (key.isWritable()) {
				flush(connection);
			}
			if (key.isValid() && key.isReadable()) {
				if (!connection.read()) {
					close(connection);
				}
				else if (!connection.closing) {
					serve(connection);
				}
			}
		}
		catch (IOException ex) {
			close(connection);
		}
	}

	private void accept() {
		try {
			SocketChannel channel;
			while ((channel = this.server.accept()) != null) {
				channel.configureBlocking(false);
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				HttpConnection connection = new HttpConnection(channel);
				connection.key = channel.register(this.selector, SelectionKey.OP_READ, connection);
			}
		}
		catch (IOException ex) {
			// e.g. out of file descriptors: say so, at most once a second, and go on
			long now = System.nanoTime();
			if (now - this.acceptErrorLoggedNanos >= ACCEPT_ERROR_LOG_NANOS) {
				this.acceptErrorLoggedNanos = now;
				System.err.println("raw server: accept failed: " + ex);
			}
		}
	}

	/**
	 * Answers every complete request read so far, in order, and writes the answers.
	 */
	private void serve(HttpConnection connection) throws IOException {
		try {
			HttpRequest request;
			while (!connection.closing && (request = connection.next()) != null) {
				if (request.is("GET", BenchmarkContract.STREAM)) {
					handOver(connection);
					return;
				}
				connection.send(this.control.handle(request).bytes(!request.keepAlive()));
				connection.closing = !request.keepAlive();
			}
		}
		catch (HttpRequest.Malformed ex) {
			connection.send(HttpResponses.of(400, null, true));
			connection.closing = true;
		}
		flush(connection);
	}

	/**
	 * Writes what the connection has queued; once all of it has gone, reads again or, after its
	 * last response, closes. Stops reading while the socket does not take the answers.
	 */
	private void flush(HttpConnection connection) throws IOException {
		if (!connection.flush()) {
			connection.key.interestOps(SelectionKey.OP_WRITE);
		}
		else if (connection.closing) {
			close(connection);
		}
		else {
			connection.key.interestOps(SelectionKey.OP_READ);
		}
	}

	/**
	 * Hands a stream's socket to the topic. Bytes the client sent after the request are not read
	 * here any more; the writer reads and drops them.
	 */
	private void handOver(HttpConnection connection) {
		connection.key.cancel();
		byte[] unsent = connection.unsent();
		byte[] preamble = new byte[unsent.length + HttpResponses.STREAM_HEAD.length];
		System.arraycopy(unsent, 0, preamble, 0, unsent.length);
		System.arraycopy(HttpResponses.STREAM_HEAD, 0, preamble, unsent.length, HttpResponses.STREAM_HEAD.length);
		this.topic.subscribe(connection.channel, preamble);
	}

	private void close(HttpConnection connection) {
		connection.key.cancel();
		try {
			connection.channel.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	private void closeAll() {
		for (SelectionKey key : this.selector.keys()) {
			if (!key.isValid()) {
				// a stream handed over: its writer closes it
				continue;
			}
			try {
				key.channel().close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
