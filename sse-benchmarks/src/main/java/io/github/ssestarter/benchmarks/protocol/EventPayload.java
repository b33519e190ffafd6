package io.github.ssestarter.benchmarks.protocol;

/**
 * The data of a benchmark event: the publish timestamp in {@link EpochMicros} as decimal digits,
 * then, when a larger payload is asked for, a space and filler up to the requested size.
 */
public final class EventPayload {

	private static final char FILLER = 'x';

	private EventPayload() {
	}

	/**
	 * Encodes a payload.
	 * @param publishMicros the publish time in microseconds since the epoch, not negative
	 * @param size the wanted length in characters; a value shorter than the timestamp gives the
	 * timestamp alone
	 * @return the data
	 */
	public static String encode(long publishMicros, int size) {
		if (publishMicros < 0) {
			throw new IllegalArgumentException("publishMicros must not be negative: " + publishMicros);
		}
		String timestamp = Long.toString(publishMicros);
		if (size <= timestamp.length() + 1) {
			return timestamp;
		}
		StringBuilder data = new StringBuilder(size).append(timestamp).append(' ');
		while (data.length() < size) {
			data.append(FILLER);
		}
		return data.toString();
	}

	/**
	 * Reads the publish timestamp back.
	 * @param data the data of an event
	 * @return the publish time in microseconds since the epoch, or {@code -1} when the data does not
	 * start with digits
	 */
	public static long publishMicros(CharSequence data) {
		long value = 0;
		int i = 0;
		while (i < data.length() && i < 19 && Character.isDigit(data.charAt(i))) {
			value = value * 10 + (data.charAt(i) - '0');
			i++;
		}
		return (i == 0) ? -1 : value;
	}

}
