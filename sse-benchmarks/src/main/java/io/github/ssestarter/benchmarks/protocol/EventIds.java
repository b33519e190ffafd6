package io.github.ssestarter.benchmarks.protocol;

/**
 * Reads the sequence number out of an event id: the whole id when it is a number, otherwise the
 * part after its last {@code -} (ids of the form {@code <epoch>-<sequence>}).
 */
public final class EventIds {

	private EventIds() {
	}

	/**
	 * The sequence number of an id.
	 * @param id an event id
	 * @return the sequence number, or {@code -1} when the id does not end in digits
	 */
	public static long sequenceOf(CharSequence id) {
		int start = id.length();
		while (start > 0 && Character.isDigit(id.charAt(start - 1))) {
			start--;
		}
		int digits = id.length() - start;
		if (digits == 0 || digits > 18) {
			return -1;
		}
		return Long.parseLong(id, start, id.length(), 10);
	}

}
