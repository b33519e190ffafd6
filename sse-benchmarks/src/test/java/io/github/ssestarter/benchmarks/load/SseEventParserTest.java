package io.github.ssestarter.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseEventParserTest {

	private final List<String> events = new ArrayList<>();

	private int comments;

	private final SseEventParser parser = new SseEventParser(new SseEventListener() {

		@Override
		public void onEvent(SseEvent event) {
			SseEventParserTest.this.events.add(event.id() + "|" + event.type() + "|" + event.data() + "|"
					+ event.idSequence() + "|" + event.dataLeadingNumber() + "|" + event.hasOwnId());
		}

		@Override
		public void onComment() {
			SseEventParserTest.this.comments++;
		}

	});

	@Test
	void dispatchesEventAtBlankLine() {
		feed("id: 7\nevent: tick\ndata: 1700000000000000 xx\n\n");
		assertThat(this.events).containsExactly("7|tick|1700000000000000 xx|7|1700000000000000|true");
	}

	@Test
	void readsThePublishersSequenceNumberAfterTheTimestamp() {
		List<Long> sequences = new ArrayList<>();
		SseEventParser parser = new SseEventParser(new SseEventListener() {

			@Override
			public void onEvent(SseEvent event) {
				sequences.add(event.dataSecondNumber());
			}

			@Override
			public void onComment() {
			}

		});
		byte[] bytes = ("id: 1763750000000-0\ndata: 1700000000000000 42 xxxx\n\n" + "data: 1700000000000000 43\n\n"
				+ "data: 1700000000000000\n\n" + "data: 1700000000000000 4x\n\n" + "data: x 44\n\n")
			.getBytes(StandardCharsets.UTF_8);
		parser.accept(bytes, 0, bytes.length);
		assertThat(sequences).containsExactly(42L, 43L, -1L, -1L, -1L);
	}

	@Test
	void joinsDataLinesWithLineFeedAndAcceptsEveryLineEnding() {
		feed("data: a\r\ndata:b\rdata:  c\n\r\n");
		assertThat(this.events).containsExactly("|message|a\nb\n c|-1|-1|false");
	}

	@Test
	void keepsLastEventIdForLaterEventsWithoutOwnId() {
		feed("id: 1700-41\ndata: x\n\ndata: y\n\n");
		assertThat(this.events).containsExactly("1700-41|message|x|41|-1|true", "1700-41|message|y|41|-1|false");
		assertThat(this.parser.lastEventId()).isEqualTo("1700-41");
	}

	@Test
	void countsCommentsAndIgnoresUnknownFieldsAndEmptyEvents() {
		feed(": heartbeat\nretry: 10\nfoo: bar\nid: 3\n\n:\ndata\n\n");
		assertThat(this.comments).isEqualTo(2);
		assertThat(this.events).containsExactly("3|message||3|-1|false");
	}

	@Test
	void ignoresIdContainingNul() {
		feed("id: 5\ndata: a\n\nid: 6\u0000\ndata: b\n\n");
		assertThat(this.events).containsExactly("5|message|a|5|-1|true", "5|message|b|5|-1|false");
	}

	@Test
	void parsesTheSameWhateverThePieces() {
		String stream = "\uFEFFid: 1\r\nevent: tick\r\ndata: 11 pad\r\n\r\n: hb\r\nid: 2\r\ndata: 22\r\n\r\n";
		byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			SseEventParserTest other = new SseEventParserTest();
			other.parser.accept(bytes, 0, i);
			other.parser.accept(bytes, i, bytes.length - i);
			assertThat(other.events).as("split at %d", i)
				.containsExactly("1|tick|11 pad|1|11|true", "2|message|22|2|22|true");
			assertThat(other.comments).isEqualTo(1);
		}
	}

	@Test
	void resetForgetsPartialEventButKeepsLastEventId() {
		feed("id: 9\ndata: a\n\ndata: half");
		this.parser.resetStream();
		feed("data: b\n\n");
		assertThat(this.events).containsExactly("9|message|a|9|-1|true", "9|message|b|9|-1|false");
	}

	private void feed(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.parser.accept(bytes, 0, bytes.length);
	}

}
