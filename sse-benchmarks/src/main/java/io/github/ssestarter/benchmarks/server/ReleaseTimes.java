package io.github.ssestarter.benchmarks.server;

import java.util.Arrays;

import io.github.ssestarter.benchmarks.protocol.EpochMicros;

/**
 * The times at which a server released its event streams, in epoch microseconds, for the
 * disconnect scenario. Bounded: beyond {@value #MAX} releases the oldest are forgotten.
 */
public final class ReleaseTimes {

	private static final int MAX = 100_000;

	private final long[] times = new long[MAX];

	private long count;

	/**
	 * Records a release now.
	 */
	public synchronized void released() {
		this.times[(int) (this.count++ % MAX)] = EpochMicros.now();
	}

	/**
	 * The release times from a given time on.
	 * @param sinceMicros epoch microseconds
	 * @return the times, oldest first
	 */
	public synchronized long[] since(long sinceMicros) {
		int kept = (int) Math.min(this.count, MAX);
		long[] result = new long[kept];
		int n = 0;
		for (long i = this.count - kept; i < this.count; i++) {
			long time = this.times[(int) (i % MAX)];
			if (time >= sinceMicros) {
				result[n++] = time;
			}
		}
		return Arrays.copyOf(result, n);
	}

}
