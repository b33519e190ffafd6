package io.github.ssestarter.benchmarks.protocol;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch: a clock that the server and the load generator,
 * two JVMs on the same machine, read alike, so that a timestamp written by one can be compared with
 * the other's.
 */
public final class EpochMicros {

	private EpochMicros() {
	}

	/**
	 * The current time.
	 * @return microseconds since 1970-01-01T00:00:00Z
	 */
	public static long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

}
