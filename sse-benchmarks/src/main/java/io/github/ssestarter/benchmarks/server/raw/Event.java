package io.github.ssestarter.benchmarks.server.raw;

import java.nio.charset.StandardCharsets;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;

/**
 * A published event, encoded once as the HTTP chunk that every stream gets byte for byte, and a link
 * in the log that the writer threads follow: the publisher appends, each writer walks on from where
 * it stopped. Nothing holds the start of the log, so an event is garbage once every writer (and every
 * stream waiting to be adopted) is past it.
 */
final class Event {

	final long sequence;

	final byte[] chunk;

	/** The chunk bytes in the log up to and including this event: how far behind a writer is. */
	final long end;

	volatile Event next;

	private Event(long sequence, byte[] chunk, long end) {
		this.sequence = sequence;
		this.chunk = chunk;
		this.end = end;
	}

	/**
	 * The start of a log: no event, sequence 0.
	 */
	static Event origin() {
		return new Event(0, new byte[0], 0);
	}

	/**
	 * The event after this one, not linked yet.
	 * @param sequence its id
	 * @param data its data, one line
	 */
	Event successor(long sequence, String data) {
		byte[] chunk = encode(sequence, data);
		return new Event(sequence, chunk, this.end + chunk.length);
	}

	/**
	 * The chunk {@code <size in hex>\r\nid: <sequence>\nevent: tick\ndata: <data>\n\n\r\n}. The data
	 * is one line: {@code EventPayload} writes digits, spaces and filler.
	 */
	static byte[] encode(long sequence, String data) {
		byte[] event = ("id: " + sequence + "\nevent: " + BenchmarkContract.EVENT_TYPE + "\ndata: " + data + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] size = (Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] chunk = new byte[size.length + event.length + 2];
		System.arraycopy(size, 0, chunk, 0, size.length);
		System.arraycopy(event, 0, chunk, size.length, event.length);
		chunk[chunk.length - 2] = '\r';
		chunk[chunk.length - 1] = '\n';
		return chunk;
	}

}
