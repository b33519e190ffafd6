package io.github.ssestarter.internal.broadcast;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids of the form {@code <epoch>-<sequence>}: the epoch names one life of the broadcaster
 * (it changes when the process restarts), the sequence counts a topic's events from 1.
 */
final class EventIds {

	/** The sequence of an id that does not parse, or that names another epoch. */
	static final long FOREIGN = -1;

	private final String epoch;

	EventIds(String epoch) {
		if (epoch.isEmpty() || !epoch.chars().allMatch(EventIds::isEpochChar)) {
			throw new IllegalArgumentException("epoch must be non-empty and contain no '-', was '" + epoch + "'");
		}
		this.epoch = epoch;
	}

	/**
	 * Ids of a new epoch: the time, and a random part so that instances started in the same
	 * millisecond do not share it.
	 */
	static EventIds startingNow() {
		String random = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
		return new EventIds(Long.toString(System.currentTimeMillis(), 36) + random);
	}

	/**
	 * The ids of one incarnation of a topic: a topic retired and created again starts a new
	 * epoch, so that ids from before are recognised as such rather than taken for new ones.
	 * @param incarnation how many topics this broadcaster created before
	 */
	EventIds incarnation(long incarnation) {
		return (incarnation == 0) ? this : new EventIds(this.epoch + '.' + Long.toString(incarnation, 36));
	}

	private static boolean isEpochChar(int c) {
		return Character.isLetterOrDigit(c) || c == '.';
	}

	String format(long sequence) {
		return this.epoch + '-' + sequence;
	}

	/** Whether the id has our shape and names another epoch, as ids from before a restart do. */
	boolean isFromAnotherEpoch(String id) {
		int dash = id.lastIndexOf('-');
		if (dash <= 0 || !isSequence(id, dash + 1)) {
			return false;
		}
		String idEpoch = id.substring(0, dash);
		return !idEpoch.equals(this.epoch) && idEpoch.chars().allMatch(EventIds::isEpochChar);
	}

	/**
	 * The sequence of an id of this epoch.
	 * @return the sequence, or {@link #FOREIGN} if the id is malformed or from another epoch
	 */
	long sequenceOf(String id) {
		int dash = id.lastIndexOf('-');
		if (dash != this.epoch.length() || !id.startsWith(this.epoch) || !isSequence(id, dash + 1)) {
			return FOREIGN;
		}
		try {
			return Long.parseLong(id, dash + 1, id.length(), 10);
		}
		catch (NumberFormatException ex) {
			return FOREIGN;
		}
	}

	private static boolean isSequence(String id, int from) {
		if (from >= id.length() || id.length() - from > 18) {
			return false;
		}
		for (int i = from; i < id.length(); i++) {
			char c = id.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

}
