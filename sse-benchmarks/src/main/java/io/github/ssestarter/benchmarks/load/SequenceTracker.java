package io.github.ssestarter.benchmarks.load;

/**
 * Checks the sequence numbers one connection receives: each should be one more than the last.
 * A jump forward counts the skipped numbers as lost; a number not above the last is a duplicate
 * (or out of order, which for a stream is as bad).
 *
 * <p>Not thread-safe: used by the selector thread that owns the connection.
 */
final class SequenceTracker {

	/** Returned by {@link #accept(long)} for a duplicate or out-of-order number. */
	static final long DUPLICATE = -1;

	private static final long UNKNOWN = Long.MIN_VALUE;

	private long last = UNKNOWN;

	/**
	 * Takes the next sequence number.
	 * @param sequence the number, not negative
	 * @return how many numbers were skipped before it (0 when in order), or {@link #DUPLICATE}
	 */
	long accept(long sequence) {
		if (this.last == UNKNOWN) {
			this.last = sequence;
			return 0;
		}
		if (sequence <= this.last) {
			return DUPLICATE;
		}
		long skipped = sequence - this.last - 1;
		this.last = sequence;
		return skipped;
	}

	/**
	 * Sets the number expected to come before the next one, e.g. the server's last sequence number
	 * before publishing starts, so that events lost at the start are counted too.
	 * @param sequence the number the next one should follow
	 */
	void expectAfter(long sequence) {
		this.last = sequence;
	}

	/**
	 * Whether a number has been seen or expected yet.
	 * @return whether {@link #last()} is meaningful
	 */
	boolean hasLast() {
		return this.last != UNKNOWN;
	}

	/**
	 * The highest number seen (or expected).
	 * @return the number
	 */
	long last() {
		return this.last;
	}

}
