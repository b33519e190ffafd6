package io.github.ssestarter.benchmarks.load;

/**
 * Removes HTTP/1.1 chunked transfer coding from a body and hands the chunk contents on, with chunk
 * boundaries anywhere in the input.
 */
final class ChunkedDecoder implements ByteSink {

	private enum State {

		SIZE, EXTENSION, DATA, DATA_END, TRAILER, DONE

	}

	private final ByteSink downstream;

	private State state = State.SIZE;

	private long remaining;

	private int sizeDigits;

	private int trailerLineLength;

	ChunkedDecoder(ByteSink downstream) {
		this.downstream = downstream;
	}

	/**
	 * Whether the last chunk (of size zero) and the trailer have been read.
	 */
	boolean isDone() {
		return this.state == State.DONE;
	}

	@Override
	public void accept(byte[] bytes, int offset, int length) {
		int i = offset;
		int end = offset + length;
		while (i < end) {
			switch (this.state) {
				case DATA -> {
					int n = (int) Math.min(this.remaining, end - i);
					this.downstream.accept(bytes, i, n);
					i += n;
					this.remaining -= n;
					if (this.remaining == 0) {
						this.state = State.DATA_END;
					}
				}
				case SIZE -> size(bytes[i++]);
				case EXTENSION -> {
					if (bytes[i++] == '\n') {
						endSizeLine();
					}
				}
				case DATA_END -> dataEnd(bytes[i++]);
				case TRAILER -> trailer(bytes[i++]);
				case DONE -> i = end;
			}
		}
	}

	private void size(byte b) {
		int digit = Character.digit(b, 16);
		if (digit >= 0) {
			if (++this.sizeDigits > 15) {
				throw new MalformedResponseException("Chunk size too long");
			}
			this.remaining = this.remaining * 16 + digit;
		}
		else if (b == ';' || b == ' ' || b == '\t') {
			this.state = State.EXTENSION;
		}
		else if (b == '\n') {
			endSizeLine();
		}
		else if (b != '\r') {
			throw new MalformedResponseException("Unexpected byte " + b + " in chunk size");
		}
	}

	private void endSizeLine() {
		if (this.sizeDigits == 0) {
			throw new MalformedResponseException("Missing chunk size");
		}
		this.sizeDigits = 0;
		if (this.remaining == 0) {
			this.trailerLineLength = 0;
			this.state = State.TRAILER;
		}
		else {
			this.state = State.DATA;
		}
	}

	private void dataEnd(byte b) {
		if (b == '\n') {
			this.state = State.SIZE;
		}
		else if (b != '\r') {
			throw new MalformedResponseException("Missing CRLF after chunk data");
		}
	}

	private void trailer(byte b) {
		if (b == '\n') {
			if (this.trailerLineLength == 0) {
				this.state = State.DONE;
			}
			this.trailerLineLength = 0;
		}
		else if (b != '\r') {
			this.trailerLineLength++;
		}
	}

}
