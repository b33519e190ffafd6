package io.github.ssestarter.benchmarks.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventPayloadTest {

	@Test
	void carriesTimestampAndSequenceAndPadsToTheSize() {
		String data = EventPayload.encode(1700000000000000L, 42, 64);
		assertThat(data).hasSize(64).startsWith("1700000000000000 42 x");
		assertThat(EventPayload.publishMicros(data)).isEqualTo(1700000000000000L);
		assertThat(EventPayload.sequence(data)).isEqualTo(42);
	}

	@Test
	void leavesThePaddingOutWhenTheSizeIsTooSmall() {
		String data = EventPayload.encode(1700000000000000L, 7, 10);
		assertThat(data).isEqualTo("1700000000000000 7");
		assertThat(EventPayload.sequence(data)).isEqualTo(7);
	}

	@Test
	void hasNoSequenceWithoutASecondNumber() {
		assertThat(EventPayload.sequence("1700000000000000")).isEqualTo(-1);
		assertThat(EventPayload.sequence("1700000000000000 x")).isEqualTo(-1);
		assertThat(EventPayload.sequence("1700000000000000 12x")).isEqualTo(-1);
		assertThat(EventPayload.sequence("abc 12")).isEqualTo(-1);
	}

}
