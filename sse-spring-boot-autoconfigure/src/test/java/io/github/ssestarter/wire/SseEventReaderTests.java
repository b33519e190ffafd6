package io.github.ssestarter.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link SseEventReader}.
 */
class SseEventReaderTests {

	@Test
	void givesUpWaitingAfterTheTimeoutAndReturnsTheEventOnTheNextCall() throws IOException {
		ChunkedInput server = new ChunkedInput();
		try (SseEventReader reader = new SseEventReader(server)) {
			// An id-only frame is not an event, as in a browser: waiting for it times out.
			server.write(ascii("id: 7\n\n"));
			assertThatExceptionOfType(InterruptedIOException.class)
				.isThrownBy(() -> reader.nextWithin(Duration.ofMillis(200)))
				.withMessageContaining("No event within");
			server.write(ascii("data: late\n\n"));
			assertThat(reader.nextWithin(Duration.ofSeconds(10))).isEqualTo(new SseEvent("message", "late", "7"));
			server.write(ascii("data: then\n\n"));
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), reader::next))
				.isEqualTo(new SseEvent("message", "then", "7"));
			server.close();
			assertThat(reader.nextWithin(Duration.ofSeconds(10))).isNull();
		}
	}

	@Test
	void returnsEachEventBeforeTheStreamEnds() throws IOException {
		ChunkedInput server = new ChunkedInput();
		try (SseEventReader reader = new SseEventReader(server)) {
			// The stream stays open throughout: a reader that waited for its end would hang here.
			server.write(ascii("data: one\n\n"));
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), reader::next))
				.isEqualTo(new SseEvent("message", "one", ""));
			server.write(ascii("id: 2\nevent: tick\ndata: two\n\n"));
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), reader::next))
				.isEqualTo(new SseEvent("tick", "two", "2"));
			server.close();
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), reader::next)).isNull();
		}
	}

	@Test
	void returnsEveryEventThatOneReadBrought() throws IOException {
		try (SseEventReader reader = reader("data: a\n\ndata: b\n\n")) {
			assertThat(reader.next()).isEqualTo(new SseEvent("message", "a", ""));
			assertThat(reader.next()).isEqualTo(new SseEvent("message", "b", ""));
			assertThat(reader.next()).isNull();
		}
	}

	@Test
	void discardsAnEventCutShortByTheEndOfTheStream() throws IOException {
		try (SseEventReader reader = reader("data: a\n\ndata: b\n")) {
			assertThat(reader.next()).isEqualTo(new SseEvent("message", "a", ""));
			assertThat(reader.next()).isNull();
			assertThat(reader.next()).isNull();
		}
	}

	@Test
	void passesCommentsToTheCommentListener() throws IOException {
		List<String> comments = new ArrayList<>();
		try (SseEventReader reader = new SseEventReader(input(": hello\n\n: keep\n: alive\n\ndata: x\n\n"),
				comments::add)) {
			assertThat(reader.next()).isEqualTo(new SseEvent("message", "x", ""));
			assertThat(comments).containsExactly("hello", "keep", "alive");
		}
	}

	@Test
	void tracksTheLastEventIdOfBlocksWithoutData() throws IOException {
		try (SseEventReader reader = reader("id: 1\ndata: a\n\nid: 9\n\n")) {
			assertThat(reader.next()).isEqualTo(new SseEvent("message", "a", "1"));
			assertThat(reader.next()).isNull();
			assertThat(reader.lastEventId()).isEqualTo("9");
		}
	}

	@Test
	void failsOnALineLongerThanOneMebibyte() throws IOException {
		byte[] line = new byte[1024 * 1024 + 1];
		Arrays.fill(line, (byte) 'x');
		try (SseEventReader reader = new SseEventReader(new ByteArrayInputStream(line))) {
			assertThatIllegalStateException().isThrownBy(reader::next).withMessageContaining("longer than");
		}
	}

	@Test
	void closeClosesTheStream() throws IOException {
		AtomicBoolean closed = new AtomicBoolean();
		InputStream input = new ByteArrayInputStream(new byte[0]) {

			@Override
			public void close() {
				closed.set(true);
			}

		};
		new SseEventReader(input).close();
		assertThat(closed).isTrue();
	}

	private static SseEventReader reader(String text) {
		return new SseEventReader(input(text));
	}

	private static InputStream input(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}


	/**
	 * An input stream fed chunk by chunk from another thread, that blocks while it has nothing,
	 * like a live response body. (Piped streams are tied to the threads that use them, which
	 * {@code assertTimeoutPreemptively} changes on each call.)
	 */
	private static final class ChunkedInput extends java.io.InputStream {

		private static final byte[] END = new byte[0];

		private final java.util.concurrent.BlockingQueue<byte[]> chunks = new java.util.concurrent.LinkedBlockingQueue<>();

		private byte[] current = new byte[0];

		private int position;

		void write(byte[] chunk) {
			this.chunks.add(chunk);
		}

		@Override
		public void close() {
			this.chunks.add(END);
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.position == this.current.length) {
				try {
					this.current = this.chunks.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new java.io.InterruptedIOException();
				}
				this.position = 0;
				if (this.current == END) {
					this.chunks.add(END);
					return -1;
				}
			}
			int count = Math.min(length, this.current.length - this.position);
			System.arraycopy(this.current, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

}
