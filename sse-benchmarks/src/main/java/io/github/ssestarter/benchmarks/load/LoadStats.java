package io.github.ssestarter.benchmarks.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and histograms shared by all connections of a {@link LoadClient}, written by the
 * selector threads and read by the scenario at any time.
 *
 * <p>Counters only grow, except the gauges {@link #open()} and {@link #streaming()}: a scenario takes a {@link #snapshot()} before and
 * after a measurement and subtracts. The histograms are interval histograms: each
 * {@code take…Histogram()} call returns what was recorded since the previous one.
 */
public final class LoadStats {

	private static final int SIGNIFICANT_DIGITS = 3;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger streaming = new AtomicInteger();

	private final LongAdder established = new LongAdder();

	private final LongAdder connectFailures = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder remoteCloses = new LongAdder();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder lost = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder comments = new LongAdder();

	private final LongAdder caughtUp = new LongAdder();

	private volatile long lastDeliveryMicros = -1;

	private final Recorder latencyMicros = new Recorder(SIGNIFICANT_DIGITS);

	private final Recorder catchUpMicros = new Recorder(SIGNIFICANT_DIGITS);

	/**
	 * The number of connections open now with their request sent, whether or not the response head
	 * has arrived (a server may hold it back until the first event).
	 * @return the count
	 */
	public int open() {
		return this.open.get();
	}

	/**
	 * The number of open connections that have received a 200 response head.
	 * @return the count
	 */
	public int streaming() {
		return this.streaming.get();
	}

	/**
	 * The number of events delivered so far, a cheap read for polling.
	 * @return the count
	 */
	public long delivered() {
		return this.delivered.sum();
	}

	/**
	 * When the latest event was received.
	 * @return epoch microseconds, or {@code -1} before the first event
	 */
	public long lastDeliveryMicros() {
		return this.lastDeliveryMicros;
	}

	/**
	 * The number of reconnected connections that have caught up so far.
	 * @return the count
	 */
	public long caughtUp() {
		return this.caughtUp.sum();
	}

	/**
	 * All counters now.
	 * @return a snapshot
	 */
	public Snapshot snapshot() {
		return new Snapshot(this.open.get(), this.streaming.get(), this.established.sum(), this.connectFailures.sum(), this.rejected.sum(),
				this.remoteCloses.sum(), this.delivered.sum(), this.lost.sum(), this.duplicates.sum(),
				this.comments.sum(), this.caughtUp.sum());
	}

	/**
	 * The delivery latencies, in microseconds, recorded since the previous call.
	 * @return the histogram
	 */
	public Histogram takeLatencyHistogram() {
		return this.latencyMicros.getIntervalHistogram();
	}

	/**
	 * The catch-up times after reconnection, in microseconds from the drop, recorded since the
	 * previous call.
	 * @return the histogram
	 */
	public Histogram takeCatchUpHistogram() {
		return this.catchUpMicros.getIntervalHistogram();
	}

	void requestSent() {
		this.open.incrementAndGet();
	}

	void streamStarted() {
		this.streaming.incrementAndGet();
		this.established.increment();
	}

	/**
	 * An open connection has closed.
	 * @param wasStreaming whether it had received its response head
	 * @param byServer whether the server (or the network) closed it, rather than the client
	 */
	void closed(boolean wasStreaming, boolean byServer) {
		this.open.decrementAndGet();
		if (wasStreaming) {
			this.streaming.decrementAndGet();
			if (byServer) {
				this.remoteCloses.increment();
			}
		}
		else if (byServer) {
			this.connectFailures.increment();
		}
	}

	void connectFailed() {
		this.connectFailures.increment();
	}

	void rejected() {
		this.rejected.increment();
	}

	void delivered(long latencyMicros, long receivedMicros) {
		this.delivered.increment();
		this.lastDeliveryMicros = receivedMicros;
		if (latencyMicros >= 0) {
			this.latencyMicros.recordValue(latencyMicros);
		}
	}

	void lost(long count) {
		this.lost.add(count);
	}

	void duplicate() {
		this.duplicates.increment();
	}

	void comment() {
		this.comments.increment();
	}

	void caughtUp(long micros) {
		this.caughtUp.increment();
		this.catchUpMicros.recordValue(Math.max(0, micros));
	}

	/**
	 * The counters at one moment.
	 *
	 * @param open connections open with their request sent
	 * @param streaming open connections that have their response head
	 * @param established streams that received status 200, ever
	 * @param connectFailures connections that failed or were closed before a response head
	 * @param rejected responses with a status other than 200
	 * @param remoteCloses streams closed by the server or the network
	 * @param delivered events received
	 * @param lost events found missing by sequence gaps
	 * @param duplicates events received twice or out of order
	 * @param comments comment lines received
	 * @param caughtUp reconnected connections that reached live events
	 */
	public record Snapshot(int open, int streaming, long established, long connectFailures, long rejected, long remoteCloses,
			long delivered, long lost, long duplicates, long comments, long caughtUp) {

		/**
		 * The growth of each counter since an earlier snapshot (the gauges are taken as they are now).
		 * @param earlier the earlier snapshot
		 * @return the difference
		 */
		public Snapshot minus(Snapshot earlier) {
			return new Snapshot(this.open, this.streaming, this.established - earlier.established,
					this.connectFailures - earlier.connectFailures, this.rejected - earlier.rejected,
					this.remoteCloses - earlier.remoteCloses, this.delivered - earlier.delivered,
					this.lost - earlier.lost, this.duplicates - earlier.duplicates, this.comments - earlier.comments,
					this.caughtUp - earlier.caughtUp);
		}

	}

}
