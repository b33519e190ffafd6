package io.github.ssestarter.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.wire.SseFormatter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SseParser} beyond the conformance vectors.
 */
class SseParserTests {

	private final RecordingListener recorder = new RecordingListener();

	private final SseParser parser = new SseParser(this.recorder);

	@Test
	void treatsCrAtEndOfChunkAndLfAtStartOfNextAsOneLineEnd() {
		feed("data: a\r");
		feed("\ndata: b\r");
		feed("\n\r");
		feed("\n");
		assertThat(this.recorder.events).containsExactly(event("a\nb"));
	}

	@Test
	void treatsCrAtEndOfChunkFollowedByCrAsTwoLineEnds() {
		feed("data: a\r");
		feed("\r");
		assertThat(this.recorder.events).containsExactly(event("a"));
	}

	@Test
	void decodesMultibyteCharacterSplitAcrossFeeds() {
		String data = "h\u00e9 \u2713 \uD83D\uDE80";
		byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
		for (int split = 0; split <= bytes.length; split++) {
			RecordingListener recorder = new RecordingListener();
			SseParser parser = new SseParser(recorder);
			parser.feed(bytes, 0, split);
			parser.feed(bytes, split, bytes.length - split);
			assertThat(recorder.events).as("split at %d", split).containsExactly(event(data));
		}
	}

	@Test
	void stripsByteOrderMarkSplitAcrossFeeds() {
		this.parser.feed(new byte[] { (byte) 0xEF });
		this.parser.feed(new byte[] { (byte) 0xBB });
		this.parser.feed(new byte[] { (byte) 0xBF });
		feed("data: a\n\n");
		assertThat(this.recorder.events).containsExactly(event("a"));
	}

	@Test
	void keepsBytesThatOnlyBeganLikeAByteOrderMarkAsPartOfTheLine() {
		this.parser.feed(new byte[] { (byte) 0xEF, (byte) 0xBB });
		feed("data: a\n\n");
		assertThat(this.recorder.events).as("field name is not 'data'").isEmpty();
		feed("data: b\n\n");
		assertThat(this.recorder.events).containsExactly(event("b"));
	}

	@Test
	void replacesMalformedUtf8WithReplacementCharacter() {
		this.parser.feed(new byte[] { 'd', 'a', 't', 'a', ':', (byte) 0xFF, 'x', '\n', '\n' });
		assertThat(this.recorder.events).containsExactly(event("\uFFFDx"));
	}

	@Test
	void readsOnlyTheGivenRangeOfTheArray() {
		byte[] bytes = "XXdata: a\n\nYY".getBytes(StandardCharsets.US_ASCII);
		this.parser.feed(bytes, 2, bytes.length - 4);
		assertThat(this.recorder.events).containsExactly(event("a"));
		assertThat(this.recorder.comments).isEmpty();
	}

	@Test
	void refusesRangeOutsideTheArray() {
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> this.parser.feed(new byte[4], 2, 3));
	}

	@Test
	void reportsCommentsWithoutTheColonAndOneSpace() {
		feed(": keep\n:alive\n:  two\n:\n");
		assertThat(this.recorder.comments).containsExactly("keep", "alive", " two", "");
		assertThat(this.recorder.events).isEmpty();
	}

	@Test
	void reportsRetryOnlyWhenItIsAllAsciiDigits() {
		feed("retry: 3000\nretry: -1\nretry: 1e3\nretry:\nretry: 12 \nretry: \u0661\nretry: 99999999999999999999\n"
				+ "retry:0\n");
		assertThat(this.recorder.retries).containsExactly(3000L, 0L);
	}

	@Test
	void setsLastEventIdOnlyAtTheBlankLineEndingTheBlock() {
		feed("id: 7\n");
		assertThat(this.parser.lastEventId()).isEmpty();
		feed("\n");
		assertThat(this.parser.lastEventId()).isEqualTo("7");
		assertThat(this.recorder.events).isEmpty();
	}

	@Test
	void keepsLastEventIdForLaterEvents() {
		feed("id: 1\n\ndata: a\n\n");
		assertThat(this.recorder.events).containsExactly(new SseEvent("message", "a", "1"));
	}

	@Test
	void acceptsLineOfExactlyTheMaximumLength() {
		SseParser parser = new SseParser(this.recorder, 10);
		parser.feed("data: abcd\n\n".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.recorder.events).containsExactly(event("abcd"));
	}

	@Test
	void failsOnLineLongerThanTheMaximumWithinOneChunk() {
		SseParser parser = new SseParser(this.recorder, 10);
		assertThatIllegalStateException()
			.isThrownBy(() -> parser.feed("data: abcde\n\n".getBytes(StandardCharsets.US_ASCII)))
			.withMessage("SSE line longer than 10 bytes");
	}

	@Test
	void failsOnLineLongerThanTheMaximumAcrossChunksBeforeItEnds() {
		SseParser parser = new SseParser(this.recorder, 10);
		byte[] chunk = "aaaaaa".getBytes(StandardCharsets.US_ASCII);
		parser.feed(chunk);
		assertThatIllegalStateException().isThrownBy(() -> parser.feed(chunk))
			.withMessage("SSE line longer than 10 bytes");
	}

	@Test
	void failsOnEventDataLongerThanTheMaximum() {
		SseParser parser = new SseParser(this.recorder, 10);
		// "abcd\nef\ngh" is ten bytes, the most allowed; one more byte of data is too many.
		parser.feed("data: abcd\ndata: ef\n".getBytes(StandardCharsets.US_ASCII));
		assertThatIllegalStateException()
			.isThrownBy(() -> parser.feed("data: ghi\n".getBytes(StandardCharsets.US_ASCII)))
			.withMessage("SSE event data longer than 10 bytes");
	}

	@Test
	void acceptsEventDataOfExactlyTheMaximumLength() {
		SseParser parser = new SseParser(this.recorder, 10);
		parser.feed("data: abcd\ndata: ef\ndata: gh\n\n".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.recorder.events).containsExactly(event("abcd\nef\ngh"));
	}

	@Test
	void refusesFurtherInputAfterFailing() {
		SseParser parser = new SseParser(this.recorder, 4);
		byte[] tooLong = "data: x\n\n".getBytes(StandardCharsets.US_ASCII);
		assertThatIllegalStateException().isThrownBy(() -> parser.feed(tooLong));
		assertThatIllegalStateException().isThrownBy(() -> parser.feed(new byte[] { '\n' }))
			.withMessageContaining("failed earlier");
	}

	@Test
	void refusesNonPositiveMaximumLength() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SseParser(this.recorder, 0))
			.withMessageContaining("maxLineLength");
	}

	@Test
	void releasesBuffersThatGrewForALongLine() {
		SseParser parser = new SseParser(this.recorder, 200_000);
		char[] big = new char[150_000];
		Arrays.fill(big, 'x');
		String data = new String(big);
		byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.US_ASCII);
		parser.feed(bytes, 0, 100);
		parser.feed(bytes, 100, bytes.length - 100);
		assertThatNoException().isThrownBy(() -> parser.feed("data: a\n\n".getBytes(StandardCharsets.US_ASCII)));
		assertThat(this.recorder.events).containsExactly(event(data), event("a"));
	}

	@Test
	void parsesWhatTheFormatterWritesInAnyChunking() {
		Random random = new Random(20240601L);
		String[] pieces = { "a", "b", " ", ":", "\r", "\n", "\r\n", "\u00e9", "\u2028", "\u0085", "\0",
				"\uD83D\uDE80" };
		List<SseEvent> expected = new ArrayList<>();
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (int n = 0; n < 500; n++) {
			StringBuilder data = new StringBuilder();
			int length = random.nextInt(12);
			for (int i = 0; i < length; i++) {
				data.append(pieces[random.nextInt(pieces.length)]);
			}
			String id = "id-" + n;
			String type = random.nextBoolean() ? "t" + n : null;
			stream.writeBytes(SseFormatter.format(SseItem.of(data.toString()).withId(id).withEventType(type)));
			if (n % 7 == 0) {
				stream.writeBytes(SseFormatter.comment("heartbeat\n" + n));
			}
			expected.add(new SseEvent((type != null) ? type : "message",
					data.toString().replace("\r\n", "\n").replace('\r', '\n'), id));
		}
		byte[] bytes = stream.toByteArray();
		int position = 0;
		while (position < bytes.length) {
			int chunk = Math.min(bytes.length - position, 1 + random.nextInt(40));
			this.parser.feed(bytes, position, chunk);
			position += chunk;
		}
		assertThat(this.recorder.events).containsExactlyElementsOf(expected);
		assertThat(this.parser.lastEventId()).isEqualTo("id-499");
	}

	private void feed(String text) {
		this.parser.feed(text.getBytes(StandardCharsets.UTF_8));
	}

	private static SseEvent event(String data) {
		return new SseEvent("message", data, "");
	}

}
