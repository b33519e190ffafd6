package io.github.ssestarter.internal.redis;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The ids Redis gives stream entries, {@code <milliseconds>-<sequence>}, which are the backplane's
 * event ids: which text is one, how two are ordered, and when Redis took the entry.
 */
final class EntryIds {

	/** The id that sorts before every entry's, for a stream that has none. */
	static final String EMPTY = "0-0";

	private static final Pattern ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

	private EntryIds() {
	}

	/** Whether the text is an entry id. */
	static boolean isId(String id) {
		return ID.matcher(id).matches();
	}

	/** Orders two entry ids: negative, zero or positive as the first is older, the same or newer. */
	static int compare(String first, String second) {
		int byMillis = Long.compareUnsigned(millisOf(first), millisOf(second));
		return (byMillis != 0) ? byMillis : Long.compareUnsigned(sequenceOf(first), sequenceOf(second));
	}

	/** When Redis took the entry with the given id. */
	static Instant timeOf(String id) {
		return Instant.ofEpochMilli(millisOf(id));
	}

	private static long millisOf(String id) {
		return Long.parseUnsignedLong(id, 0, id.indexOf('-'), 10);
	}

	private static long sequenceOf(String id) {
		return Long.parseUnsignedLong(id, id.indexOf('-') + 1, id.length(), 10);
	}

}
