package io.github.ssestarter.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link SseEvent}.
 */
class SseEventTests {

	@Test
	void describesItselfOnOneLineWithControlCharactersEscaped() {
		SseEvent event = new SseEvent("tick", "a\nb\r\"c\"\u0000\\ \u00e9", "7");
		assertThat(event).hasToString("SseEvent{eventType=\"tick\", data=\"a\\nb\\r\\\"c\\\"\\u0000\\\\ \u00e9\", "
				+ "lastEventId=\"7\"}");
	}

	@Test
	void refusesNullComponents() {
		assertThatNullPointerException().isThrownBy(() -> new SseEvent("message", null, ""))
			.withMessage("data must not be null");
	}

}
