package io.github.ssestarter.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.wire.SseFormatter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Runs the shared conformance vectors against {@link SseFormatter} and {@link SseParser}.
 */
class WireConformanceTests {

	private static final JsonNode VECTORS = load();

	@TestFactory
	Stream<DynamicTest> formatsEachItemToTheExactWireTextOrRefusesIt() {
		return vectors("format").map((vector) -> dynamicTest(name(vector), () -> {
			JsonNode item = vector.get("item");
			if (vector.has("invalid")) {
				assertThatIllegalArgumentException().as(name(vector))
					.isThrownBy(() -> item(item))
					.withMessage(vector.get("invalid").stringValue());
			}
			else {
				byte[] frame = SseFormatter.format(item(item));
				assertThat(new String(frame, StandardCharsets.UTF_8)).as(name(vector))
					.isEqualTo(vector.get("wire").stringValue());
				assertThat(frame).as(name(vector))
					.isEqualTo(vector.get("wire").stringValue().getBytes(StandardCharsets.UTF_8));
			}
		}));
	}

	@TestFactory
	Stream<DynamicTest> parsesEachWireTextIntoTheEventsAClientDispatches() {
		return vectors("parse").map((vector) -> dynamicTest(name(vector), () -> assertParses(vector, false)));
	}

	@TestFactory
	Stream<DynamicTest> parsesEachWireTextFedOneByteAtATime() {
		return vectors("parse").map((vector) -> dynamicTest(name(vector), () -> assertParses(vector, true)));
	}

	@TestFactory
	Stream<DynamicTest> parsesWhatTheFormatterWroteBackIntoTheItem() {
		return vectors("format").filter((vector) -> !vector.has("invalid"))
			.map((vector) -> dynamicTest(name(vector), () -> {
				SseItem<String> item = item(vector.get("item"));
				RecordingListener recorder = new RecordingListener();
				new SseParser(recorder).feed(SseFormatter.format(item));
				String data = item.data();
				if (data == null) {
					assertThat(recorder.events).as(name(vector)).isEmpty();
				}
				else {
					// Line terminators come back as LF, which is all a client can see.
					String expected = data.replace("\r\n", "\n").replace('\r', '\n');
					String type = (item.eventType() != null) ? item.eventType() : "message";
					String id = (item.id() != null) ? item.id() : "";
					assertThat(recorder.events).as(name(vector)).containsExactly(new SseEvent(type, expected, id));
				}
				String comment = item.comment();
				if (comment != null) {
					assertThat(String.join("\n", recorder.comments)).as(name(vector)).isEqualTo(comment.replace("\r\n", "\n")
						.replace('\r', '\n'));
				}
				Duration retry = item.retry();
				assertThat(recorder.retries).as(name(vector)).isEqualTo((retry != null) ? List.of(retry.toMillis()) : List.of());
			}));
	}

	private static void assertParses(JsonNode vector, boolean oneByteAtATime) {
		RecordingListener recorder = new RecordingListener();
		SseParser parser = new SseParser(recorder);
		byte[] bytes = vector.get("wire").stringValue().getBytes(StandardCharsets.UTF_8);
		if (oneByteAtATime) {
			for (int i = 0; i < bytes.length; i++) {
				parser.feed(bytes, i, 1);
			}
		}
		else {
			parser.feed(bytes);
		}
		List<SseEvent> expected = new ArrayList<>();
		for (JsonNode event : vector.get("events").values()) {
			expected.add(new SseEvent(event.get("event").stringValue(), event.get("data").stringValue(),
					event.get("lastEventId").stringValue()));
		}
		assertThat(recorder.events).as(name(vector)).containsExactlyElementsOf(expected);
		if (vector.has("lastEventId")) {
			assertThat(parser.lastEventId()).as(name(vector)).isEqualTo(vector.get("lastEventId").stringValue());
		}
	}

	private static SseItem<String> item(JsonNode item) {
		SseItem<String> result = SseItem.of("").withData(text(item, "data"));
		result = result.withEventType(text(item, "eventType")).withId(text(item, "id"));
		if (item.has("retryMillis")) {
			result = result.withRetry(Duration.ofMillis(item.get("retryMillis").longValue()));
		}
		return result.withComment(text(item, "comment"));
	}

	private static String text(JsonNode node, String field) {
		return node.has(field) ? node.get(field).stringValue() : null;
	}

	private static String name(JsonNode vector) {
		return vector.get("name").stringValue();
	}

	private static Stream<JsonNode> vectors(String kind) {
		return VECTORS.get(kind).values().stream();
	}

	private static JsonNode load() {
		try (InputStream input = WireConformanceTests.class.getResourceAsStream("/conformance/sse-wire-vectors.json")) {
			assertThat(input).as("conformance vectors on the test classpath").isNotNull();
			return JsonMapper.builder().build().readTree(input);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
