package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A writer thread: owns a share of the streams, with a selector of its own for them, follows the
 * event log and writes each new event to each of its streams with one non-blocking write; events
 * that arrived while it was busy go together, still one write per stream. A socket that does not
 * take everything keeps the rest in its {@link Stream}, written when the selector reports it
 * writable. The selector also reports a client that left (a read of -1), and the stream is dropped.
 */
final class Writer implements Runnable {

	/** Events are copied into one buffer of up to this size (or one event, if larger) per batch. */
	private static final int BATCH_SIZE = 64 * 1024;

	private final RawTopic topic;

	private final Selector selector;

	private final Thread thread;

	private final Queue<Stream> incoming = new ConcurrentLinkedQueue<>();

	private final List<Stream> waiting = new ArrayList<>();

	private final List<Stream> streams = new ArrayList<>();

	private final ByteBuffer discard = ByteBuffer.allocateDirect(1024);

	private ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_SIZE);

	/** The last event written to every adopted stream (or queued behind its pending bytes). */
	private Event cursor;

	private volatile long consumed;

	private volatile boolean running = true;

	Writer(String name, RawTopic topic, Event origin) throws IOException {
		this.topic = topic;
		this.selector = Selector.open();
		this.cursor = origin;
		this.consumed = origin.end;
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Hands a new stream to this writer; any thread.
	 */
	void add(Stream stream) {
		this.incoming.add(stream);
		this.selector.wakeup();
	}

	/**
	 * Tells the writer that the log has grown; any thread.
	 */
	void wakeup() {
		this.selector.wakeup();
	}

	/**
	 * How far the writer has followed the log.
	 * @return the {@link Event#end} of the last event it has written
	 */
	long consumed() {
		return this.consumed;
	}

	/**
	 * Stops the thread, closing its streams.
	 */
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
				deliver();
				adopt();
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
		Stream stream = (Stream) key.attachment();
		try {
			if (key.isReadable() && !drain(stream)) {
				close(stream);
				return;
			}
			if (key.isWritable() && stream.flush()) {
				stream.awaitWritable(false);
			}
		}
		catch (IOException ex) {
			close(stream);
		}
	}

	/**
	 * Reads and drops whatever the client sent after its request.
	 * @return false when the client has closed its end
	 */
	private boolean drain(Stream stream) throws IOException {
		int read;
		do {
			this.discard.clear();
			read = stream.channel.read(this.discard);
		}
		while (read > 0);
		return read == 0;
	}

	/**
	 * Writes the events published since the last call to every stream, in batches.
	 */
	private void deliver() {
		Event first;
		while ((first = this.cursor.next) != null) {
			Event last;
			if (this.streams.isEmpty()) {
				last = first;
				for (Event next = first.next; next != null; next = next.next) {
					last = next;
				}
			}
			else {
				last = fill(first);
				send();
			}
			this.cursor = last;
			this.consumed = last.end;
		}
	}

	/**
	 * Copies the chunks of as many events from the given one on as fit into the batch buffer.
	 * @return the last event copied
	 */
	private Event fill(Event first) {
		if (this.batch.capacity() < first.chunk.length) {
			this.batch = ByteBuffer.allocateDirect(first.chunk.length);
		}
		this.batch.clear();
		this.batch.put(first.chunk);
		Event last = first;
		for (Event next = first.next; next != null && next.chunk.length <= this.batch.remaining(); next = next.next) {
			this.batch.put(next.chunk);
			last = next;
		}
		this.batch.flip();
		return last;
	}

	/**
	 * Writes the batch to every stream: one write each, or behind the bytes it has pending.
	 */
	private void send() {
		// backwards, so that closing a stream (which moves the last one into its place) skips none
		for (int i = this.streams.size() - 1; i >= 0; i--) {
			Stream stream = this.streams.get(i);
			this.batch.position(0);
			try {
				if (!stream.hasPending()) {
					stream.channel.write(this.batch);
					if (!this.batch.hasRemaining()) {
						continue;
					}
				}
				if (stream.queue(this.batch)) {
					stream.awaitWritable(true);
				}
				else {
					close(stream);
				}
			}
			catch (IOException ex) {
				close(stream);
			}
		}
	}

	/**
	 * Takes on the streams handed over, each once this writer has followed the log as far as the
	 * event before it subscribed, so that it gets every event after that one and none before.
	 */
	private void adopt() {
		Stream stream;
		while ((stream = this.incoming.poll()) != null) {
			this.waiting.add(stream);
		}
		for (int i = this.waiting.size() - 1; i >= 0; i--) {
			stream = this.waiting.get(i);
			if (stream.from.sequence <= this.cursor.sequence) {
				this.waiting.set(i, this.waiting.get(this.waiting.size() - 1));
				this.waiting.remove(this.waiting.size() - 1);
				start(stream);
			}
		}
	}

	private void start(Stream stream) {
		try {
			stream.key = stream.channel.register(this.selector, SelectionKey.OP_READ, stream);
			// what this writer wrote to its other streams since the stream subscribed
			for (Event event = stream.from.next; event != null && event.sequence <= this.cursor.sequence; event = event.next) {
				if (!stream.queue(ByteBuffer.wrap(event.chunk))) {
					close(stream);
					return;
				}
			}
			stream.from = null;
			stream.index = this.streams.size();
			this.streams.add(stream);
			if (!stream.flush()) {
				stream.awaitWritable(true);
			}
		}
		catch (IOException ex) {
			close(stream);
		}
	}

	private void close(Stream stream) {
		if (stream.closed) {
			return;
		}
		stream.closed = true;
		if (stream.key != null) {
			stream.key.cancel();
		}
		try {
			stream.channel.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
		int index = stream.index;
		if (index >= 0) {
			Stream last = this.streams.remove(this.streams.size() - 1);
			if (last != stream) {
				this.streams.set(index, last);
				last.index = index;
			}
			stream.index = -1;
		}
		this.topic.released();
	}

	private void closeAll() {
		for (int i = this.streams.size() - 1; i >= 0; i--) {
			close(this.streams.get(i));
		}
		this.waiting.forEach(this::close);
		this.waiting.clear();
		Stream stream;
		while ((stream = this.incoming.poll()) != null) {
			close(stream);
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
