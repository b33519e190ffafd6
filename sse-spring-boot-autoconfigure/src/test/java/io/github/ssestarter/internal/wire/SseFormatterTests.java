package io.github.ssestarter.internal.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ssestarter.SseItem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SseFormatter} beyond the conformance vectors.
 */
class SseFormatterTests {

	@Test
	void writesCommentFrameWithOnePrefixPerLine() {
		assertThat(text(SseFormatter.comment("keep\nalive"))).isEqualTo(": keep\n: alive\n\n");
		assertThat(text(SseFormatter.comment("a\r\nb\rc"))).isEqualTo(": a\n: b\n: c\n\n");
	}

	@Test
	void writesEmptyCommentAsOneEmptyCommentLine() {
		assertThat(text(SseFormatter.comment(""))).isEqualTo(": \n\n");
	}

	@Test
	void writesCommentBeforeTheFields() {
		SseItem<String> item = SseItem.of("x").withId("1").withComment("note");
		assertThat(text(SseFormatter.format(item))).isEqualTo(": note\nid: 1\ndata: x\n\n");
	}

	@Test
	void writesNoDataLineForItemsWithoutData() {
		assertThat(text(SseFormatter.format(SseItem.idOnly("5")))).isEqualTo("id: 5\n\n");
		assertThat(text(SseFormatter.format(SseItem.retryOnly(Duration.ofSeconds(2))))).isEqualTo("retry: 2000\n\n");
		assertThat(text(SseFormatter.format(SseItem.comment("hi")))).isEqualTo(": hi\n\n");
	}

	@Test
	void writesRetryInWholeMilliseconds() {
		SseItem<String> item = SseItem.of("x").withRetry(Duration.ofNanos(1_999_999));
		assertThat(text(SseFormatter.format(item))).isEqualTo("retry: 1\ndata: x\n\n");
	}

	@Test
	void writesEmptyEventTypeAndIdAsEmptyFields() {
		SseItem<String> item = SseItem.of("", "x").withId("");
		assertThat(text(SseFormatter.format(item))).isEqualTo("id: \nevent: \ndata: x\n\n");
	}

	@Test
	void refusesDataThatIsNotYetSerialised() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseFormatter.format(SseItem.of(42)))
			.withMessageContaining("java.lang.Integer");
	}

	@Test
	void neverWritesAByteOrderMarkEvenForDataStartingWithOne() {
		byte[] frame = SseFormatter.format(SseItem.of("\uFEFFx"));
		assertThat(text(frame)).isEqualTo("data: \uFEFFx\n\n");
		assertThat(frame[0]).isEqualTo((byte) 'd');
	}

	@Test
	void writesUnpairedSurrogateAsQuestionMark() {
		assertThat(text(SseFormatter.format(SseItem.of("a\uD800b")))).isEqualTo("data: a?b\n\n");
	}

	@Test
	void returnsAnArrayOfExactlyTheFrameSize() {
		SseItem<String> item = SseItem.of("tick", "h\u00e9\r\n\u2713\r\uD83D\uDE80\n").withId("7").withComment("c\r\n");
		String expected = ": c\n: \nid: 7\nevent: tick\ndata: h\u00e9\ndata: \u2713\ndata: \uD83D\uDE80\ndata: \n\n";
		assertThat(SseFormatter.format(item)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
