package io.github.ssestarter.benchmarks.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.ssestarter.benchmarks.protocol.EpochMicros;
import io.github.ssestarter.benchmarks.protocol.EventPayload;

/**
 * Publishes events to a {@link BenchmarkTopic} from a thread of its own, at a fixed rate or as
 * fast as the topic takes them.
 *
 * <p>At a fixed rate each event carries the time it was scheduled for, not the time it was
 * actually handed to the topic, so that a publisher held up by the server under test shows as
 * latency rather than hiding it (no coordinated omission).
 */
public final class Publisher {

	private final BenchmarkTopic topic;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private volatile long lastSequence;

	private long nextSequence = 1;

	private volatile double lastRunSeconds = Double.NaN;

	private volatile boolean stopRequested;

	private Thread thread;

	/**
	 * Creates a publisher for the given topic.
	 * @param topic the topic to publish to
	 */
	public Publisher(BenchmarkTopic topic) {
		this.topic = topic;
	}

	/**
	 * Starts publishing unless a previous run is still going.
	 * @param count the number of events, at least 1
	 * @param ratePerSecond events per second, or {@code 0} for as fast as possible
	 * @param payloadSize the approximate size of each event's data
	 * @return whether a run was started
	 */
	public synchronized boolean start(long count, double ratePerSecond, int payloadSize) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1: " + count);
		}
		if (ratePerSecond < 0) {
			throw new IllegalArgumentException("ratePerSecond must not be negative: " + ratePerSecond);
		}
		if (isRunning()) {
			return false;
		}
		this.stopRequested = false;
		this.thread = new Thread(() -> run(count, ratePerSecond, payloadSize), "benchmark-publisher");
		this.thread.setDaemon(true);
		this.thread.start();
		return true;
	}

	/**
	 * Asks a running publisher to stop after the event it is publishing.
	 */
	public void stop() {
		this.stopRequested = true;
	}

	/**
	 * Whether a run is going on.
	 * @return whether the publisher thread is alive
	 */
	public synchronized boolean isRunning() {
		return this.thread != null && this.thread.isAlive();
	}

	/**
	 * The number of events published since the server started.
	 * @return the count
	 */
	public long published() {
		return this.published.get();
	}

	/**
	 * The number of events the topic refused.
	 * @return the count
	 */
	public long failures() {
		return this.failures.get();
	}

	/**
	 * The publisher's sequence number (carried in the event data, see {@code EventPayload}) of the
	 * last event the topic accepted, {@code 0} before the first. A sequence number is used up by
	 * every attempt, so an event the topic refused shows to subscribers as a lost one.
	 * @return the sequence number
	 */
	public long lastSequence() {
		return this.lastSequence;
	}

	/**
	 * How long the last finished run took, from its first publish to the return of its last.
	 * @return seconds, or NaN before the first run ends
	 */
	public double lastRunSeconds() {
		return this.lastRunSeconds;
	}

	private void run(long count, double ratePerSecond, int payloadSize) {
		long startNanos = System.nanoTime();
		try {
			publishAll(startNanos, count, ratePerSecond, payloadSize);
		}
		finally {
			this.lastRunSeconds = (System.nanoTime() - startNanos) / 1e9;
		}
	}

	private void publishAll(long startNanos, long count, double ratePerSecond, int payloadSize) {
		long startMicros = EpochMicros.now();
		for (long i = 0; i < count && !this.stopRequested; i++) {
			long publishMicros;
			if (ratePerSecond > 0) {
				long offsetNanos = (long) (i * 1_000_000_000d / ratePerSecond);
				waitUntil(startNanos + offsetNanos);
				publishMicros = startMicros + offsetNanos / 1_000;
			}
			else {
				publishMicros = EpochMicros.now();
			}
			long sequence = this.nextSequence++;
			publishOne(sequence, EventPayload.encode(publishMicros, sequence, payloadSize));
		}
	}

	private void publishOne(long sequence, String data) {
		try {
			this.topic.publish(data);
			this.lastSequence = sequence;
			this.published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.failures.incrementAndGet();
		}
	}

	private void waitUntil(long deadlineNanos) {
		long remaining;
		while ((remaining = deadlineNanos - System.nanoTime()) > 0 && !this.stopRequested) {
			LockSupport.parkNanos(remaining);
		}
	}

}
