package io.github.ssestarter.sample;

import java.net.http.HttpResponse;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log tail over real HTTP: posted text comes back as the data of a {@code log} event, as is.
 */
class LogsTests extends AbstractSampleTests {

	@ParameterizedTest
	@ValueSource(strings = { "INFO one line", "first line\nsecond line\n\n  indented after an empty one",
			"data: not a field\nid: nor this\n: nor a comment", "{\"json\": \"stays text\"}", "trailing newline\n",
			"ünïcödé ✓ and a tab\there" })
	void postedTextIsStreamedUnchanged(String text) {
		String marker = append("marker");
		try (EventStream stream = this.client.stream("/api/logs/stream", "Last-Event-ID", marker)) {
			assertThat(stream.status()).isEqualTo(200);
			String id = append(text);
			SseEvent event = stream.next();
			assertThat(event.eventType()).isEqualTo("log");
			assertThat(event.lastEventId()).isEqualTo(id);
			assertThat(event.data()).isEqualTo(text);
		}
	}

	@Test
	void onlyPlainTextIsAccepted() {
		assertThat(this.client.post("/api/logs", "application/json", "\"text\"").statusCode()).isEqualTo(415);
	}

	@Test
	void emptyOrOverlongTextIsRefusedWith400() {
		assertThat(this.client.post("/api/logs", "text/plain", "").statusCode()).isEqualTo(400);
		HttpResponse<String> overlong = this.client.post("/api/logs", "text/plain", "x".repeat(10_001));
		assertThat(overlong.statusCode()).isEqualTo(400);
		assertThat(this.client.json(overlong).get("detail").asString()).startsWith("text size must be between");
	}

	private String append(String text) {
		HttpResponse<String> response = this.client.post("/api/logs", "text/plain;charset=UTF-8", text);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(this.client.json(response).propertyNames()).containsExactly("id");
		return this.client.json(response).get("id").asString();
	}

}
