package io.github.ssestarter.benchmarks.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
 * latency rather than hiding it (no coordinated omission). At a fixed rate the publisher calls
 * {@link BenchmarkTopic#publish(String)} and waits for each event.
 *
 * <p>As fast as possible (rate {@code 0}) it calls {@link BenchmarkTopic#publishAsync(String)}
 * with at most {@link #MAX_IN_FLIGHT} events not yet completed: an event counts as published (or
 * refused) when its future completes, and the run ends when the last one has. For servers whose
 * topic publishes synchronously (the default {@code publishAsync}) that is the same as calling
 * {@code publish} one event after another.
 */
public final class Publisher {

	/**
	 * The most events a run as fast as possible has handed to the topic without their futures
	 * having completed.
	 */
	public static final int MAX_IN_FLIGHT = 1_000;

	private final BenchmarkTopic topic;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong lastSequence = new AtomicLong();

	private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

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
	 * Asks a running publisher to stop after the event it is publishing; a run as fast as possible
	 * then still waits for the events in flight to complete.
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
	 * The number of events published since the server started: whose {@code publish} returned or
	 * whose {@code publishAsync} future completed normally.
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
	 * last event the topic accepted (the highest accepted, should completions come out of order),
	 * {@code 0} before the first. A sequence number is used up by every attempt, so an event the
	 * topic refused shows to subscribers as a lost one.
	 * @return the sequence number
	 */
	public long lastSequence() {
		return this.lastSequence.get();
	}

	/**
	 * How long the last finished run took, from its first publish to the return of its last (at a
	 * fixed rate) or the completion of its last (as fast as possible).
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
		if (ratePerSecond == 0) {
			publishAllAsync(count, payloadSize);
			return;
		}
		long startMicros = EpochMicros.now();
		for (long i = 0; i < count && !this.stopRequested; i++) {
			long offsetNanos = (long) (i * 1_000_000_000d / ratePerSecond);
			waitUntil(startNanos + offsetNanos);
			long publishMicros = startMicros + offsetNanos / 1_000;
			long sequence = this.nextSequence++;
			publishOne(sequence, EventPayload.encode(publishMicros, sequence, payloadSize));
		}
	}

	private void publishAllAsync(long count, int payloadSize) {
		try {
			for (long i = 0; i < count && !this.stopRequested; i++) {
				this.inFlight.acquireUninterruptibly();
				long sequence = this.nextSequence++;
				publishOneAsync(sequence, EventPayload.encode(EpochMicros.now(), sequence, payloadSize));
			}
		}
		finally {
			// the run ends when the last event in flight has completed
			this.inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
			this.inFlight.release(MAX_IN_FLIGHT);
		}
	}

	private void publishOneAsync(long sequence, String data) {
		CompletableFuture<String> future;
		try {
			future = this.topic.publishAsync(data);
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		if (future == null) {
			future = CompletableFuture.failedFuture(new IllegalStateException("publishAsync returned null"));
		}
		future.whenComplete((id, ex) -> {
			try {
				if (ex == null) {
					accepted(sequence);
				}
				else {
					this.failures.incrementAndGet();
				}
			}
			finally {
				this.inFlight.release();
			}
		});
	}

	private void publishOne(long sequence, String data) {
		try {
			this.topic.publish(data);
			accepted(sequence);
		}
		catch (RuntimeException ex) {
			this.failures.incrementAndGet();
		}
	}

	private void accepted(long sequence) {
		this.lastSequence.accumulateAndGet(sequence, Math::max);
		this.published.incrementAndGet();
	}

	private void waitUntil(long deadlineNanos) {
		long remaining;
		while ((remaining = deadlineNanos - System.nanoTime()) > 0 && !this.stopRequested) {
			LockSupport.parkNanos(remaining);
		}
	}

}
