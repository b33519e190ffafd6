package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.ssestarter.benchmarks.server.BenchmarkTopic;

/**
 * The raw server's topic: a log of encoded events that the {@link Writer} threads follow, and the
 * streams dealt out to the writers in turn. {@link #publish(String)} encodes an event once, links it
 * and wakes the writers, without waiting for any write; it waits only while the slowest writer is
 * more than 16 MiB of events behind, so that a publisher running flat out neither drops events nor
 * grows the log without bound.
 *
 * <p>Ids are the publisher's sequence numbers: this topic refuses no event, so both count alike.
 */
final class RawTopic implements BenchmarkTopic {

	/** The most chunk bytes the slowest writer may be behind before the publisher waits for it. */
	static final long MAX_BACKLOG = 16L * 1024 * 1024;

	private static final long BACKLOG_PAUSE_NANOS = 100_000;

	private final Writer[] writers;

	private final AtomicInteger open = new AtomicInteger();

	private volatile Event tail = Event.origin();

	/** Publisher thread only. */
	private long sequence;

	/** HTTP loop thread only. */
	private int nextWriter;

	RawTopic(int writerCount) throws IOException {
		this.writers = new Writer[writerCount];
		for (int i = 0; i < writerCount; i++) {
			this.writers[i] = new Writer("raw-writer-" + i, this, this.tail);
		}
	}

	void start() {
		for (Writer writer : this.writers) {
			writer.start();
		}
	}

	void close() throws InterruptedException {
		for (Writer writer : this.writers) {
			writer.close();
		}
	}

	@Override
	public String publish(String data) {
		Event last = this.tail;
		Event event = last.successor(++this.sequence, data);
		while (last.end - slowestWriter() > MAX_BACKLOG) {
			LockSupport.parkNanos(BACKLOG_PAUSE_NANOS);
		}
		last.next = event;
		this.tail = event;
		for (Writer writer : this.writers) {
			writer.wakeup();
		}
		return Long.toString(event.sequence);
	}

	/**
	 * Subscribes a connection: it gets every event published from now on, none before. Called by
	 * the HTTP loop, which no longer touches the connection.
	 * @param channel the connection, non-blocking
	 * @param preamble the bytes to send before the first event: the response head
	 */
	void subscribe(SocketChannel channel, byte[] preamble) {
		Stream stream = new Stream(channel, preamble, this.tail);
		this.open.incrementAndGet();
		Writer writer = this.writers[this.nextWriter];
		this.nextWriter = (this.nextWriter + 1) % this.writers.length;
		writer.add(stream);
	}

	/**
	 * A writer closed a stream.
	 */
	void released() {
		this.open.decrementAndGet();
	}

	/**
	 * The streams held: subscribed and not yet closed (a closed stream is dropped at once, so the
	 * same as {@link #openConnections()}).
	 */
	@Override
	public int subscriberCount() {
		return this.open.get();
	}

	private long slowestWriter() {
		long slowest = Long.MAX_VALUE;
		for (Writer writer : this.writers) {
			slowest = Math.min(slowest, writer.consumed());
		}
		return slowest;
	}

}
