package io.github.ssestarter.benchmarks.protocol;

/**
 * The data of a benchmark event: the publish timestamp in {@link EpochMicros} as decimal digits, a
 * space, the publisher's own sequence number (1 for its first event, one more for each event it
 * publishes, whether or not the topic accepts it), then, when a larger payload is asked for, a space
 * and filler up to the requested size.
 *
 * <p>The load generator checks loss, duplicates and order by that sequence number rather than by
 * the event id, so that servers whose ids are not contiguous numbers (the Redis backplane's stream
 * entry ids {@code <ms>-<seq>}) are checked as strictly as the others.
 */
public final class EventPayload {

	private static final char FILLER = 'x';

	private EventPayload() {
	}

	/**
	 * Encodes a payload.
	 * @param publishMicros the publish time in microseconds since the epoch, not negative
	 * @param sequence the publisher's sequence number, not negative
	 * @param size the wanted length in characters; a value shorter than timestamp and sequence gives
	 * those alone
	 * @return the data
	 */
	public static String encode(long publishMicros, long sequence, int size) {
		if (publishMicros < 0) {
			throw new IllegalArgumentException("publishMicros must not be negative: " + publishMicros);
		}
		if (sequence < 0) {
			throw new IllegalArgumentException("sequence must not be negative: " + sequence);
		}
		StringBuilder data = new StringBuilder(Math.max(size, 40)).append(publishMicros).append(' ').append(sequence);
		if (size <= data.length() + 1) {
			return data.toString();
		}
		data.append(' ');
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

	/**
	 * Reads the sequence number back.
	 * @param data the data of an event
	 * @return the sequence number, or {@code -1} when the data has no second number
	 */
	public static long sequence(CharSequence data) {
		int i = 0;
		while (i < data.length() && Character.isDigit(data.charAt(i))) {
			i++;
		}
		if (i == 0 || i >= data.length() || data.charAt(i) != ' ') {
			return -1;
		}
		int start = ++i;
		long value = 0;
		while (i < data.length() && i - start < 18 && Character.isDigit(data.charAt(i))) {
			value = value * 10 + (data.charAt(i) - '0');
			i++;
		}
		boolean ended = i == data.length() || data.charAt(i) == ' ';
		return (i == start || !ended) ? -1 : value;
	}

}
