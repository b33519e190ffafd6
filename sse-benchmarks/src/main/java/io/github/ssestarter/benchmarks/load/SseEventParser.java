package io.github.ssestarter.benchmarks.load;

import java.util.Arrays;

/**
 * A streaming parser of the {@code text/event-stream} format: takes the body in pieces of any size,
 * splits lines on CR, LF or CRLF, reads the {@code id}, {@code event} and {@code data} fields,
 * skips comments and unknown fields, and dispatches an event at each blank line.
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread.
 */
public final class SseEventParser implements ByteSink {

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private final SseEventListener listener;

	private final SseEvent event = new SseEvent();

	private byte[] line = new byte[256];

	private int lineLength;

	private boolean afterCr;

	private boolean firstLine = true;

	/**
	 * Creates a parser that reports to the given listener.
	 * @param listener receives the events and comments
	 */
	public SseEventParser(SseEventListener listener) {
		this.listener = listener;
	}

	/**
	 * Parses the next bytes of the stream.
	 * @param bytes the buffer
	 * @param offset where the bytes start
	 * @param length how many bytes there are
	 */
	@Override
	public void accept(byte[] bytes, int offset, int length) {
		int i = offset;
		int end = offset + length;
		if (this.afterCr && i < end && bytes[i] == '\n') {
			i++;
		}
		this.afterCr = false;
		while (i < end) {
			int lineEnd = i;
			while (lineEnd < end && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
				lineEnd++;
			}
			appendToLine(bytes, i, lineEnd - i);
			if (lineEnd == end) {
				return;
			}
			processLine();
			i = lineEnd + 1;
			if (bytes[lineEnd] == '\r') {
				if (i == end) {
					this.afterCr = true;
				}
				else if (bytes[i] == '\n') {
					i++;
				}
			}
		}
	}

	/**
	 * The last event id seen, to be sent as {@code Last-Event-ID} when reconnecting.
	 * @return the id, empty when the stream never set one
	 */
	public String lastEventId() {
		return this.event.id();
	}

	/**
	 * Forgets any partly received line and event before the parser is fed a new stream; the last
	 * event id is kept, as the specification asks across reconnections.
	 */
	public void resetStream() {
		this.lineLength = 0;
		this.afterCr = false;
		this.firstLine = true;
		this.event.clearEvent();
	}

	private void appendToLine(byte[] bytes, int offset, int length) {
		if (this.lineLength + length > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.max(this.lineLength + length, this.line.length * 2));
		}
		System.arraycopy(bytes, offset, this.line, this.lineLength, length);
		this.lineLength += length;
	}

	private void processLine() {
		int start = 0;
		if (this.firstLine) {
			this.firstLine = false;
			if (startsWithBom()) {
				start = BOM.length;
			}
		}
		int length = this.lineLength - start;
		this.lineLength = 0;
		if (length == 0) {
			dispatch();
		}
		else if (this.line[start] == ':') {
			this.listener.onComment();
		}
		else {
			field(start, start + length);
		}
	}

	private void field(int start, int end) {
		int colon = start;
		while (colon < end && this.line[colon] != ':') {
			colon++;
		}
		int valueStart = Math.min(colon + 1, end);
		if (valueStart < end && this.line[valueStart] == ' ') {
			valueStart++;
		}
		int nameLength = colon - start;
		int valueLength = end - valueStart;
		if (is("data", start, nameLength)) {
			this.event.appendDataLine(this.line, valueStart, valueLength);
		}
		else if (is("id", start, nameLength)) {
			if (!containsNul(valueStart, end)) {
				this.event.setLastEventId(this.line, valueStart, valueLength);
			}
		}
		else if (is("event", start, nameLength)) {
			this.event.setType(this.line, valueStart, valueLength);
		}
	}

	private void dispatch() {
		if (this.event.prepareDispatch()) {
			this.listener.onEvent(this.event);
		}
		this.event.clearEvent();
	}

	private boolean is(String name, int start, int length) {
		if (name.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (this.line[start + i] != name.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private boolean containsNul(int start, int end) {
		for (int i = start; i < end; i++) {
			if (this.line[i] == 0) {
				return true;
			}
		}
		return false;
	}

	private boolean startsWithBom() {
		return this.lineLength >= BOM.length && this.line[0] == BOM[0] && this.line[1] == BOM[1]
				&& this.line[2] == BOM[2];
	}

}
