package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An event's headers as fields of its stream entry, of their own beside the event's.
 */
class EntriesTests {

	@Test
	void keepsHeadersInFieldsOfTheirOwnAndReadsThemBack() {
		SseBackplaneEvent event = new SseBackplaneEvent(null, "order", "{}", null, null, null,
				Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
		List<String> arguments = new ArrayList<>();
		Entries.put(arguments, event);
		assertThat(arguments).containsSubsequence("h:traceparent",
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

		SseBackplaneEvent read = Entries.toEvent("1-0", fields(arguments));
		assertThat(read.headers()).isEqualTo(event.headers());
		assertThat(read.withId("1-0").headers()).isEqualTo(event.headers());
		assertThat(read.toItem().data()).isEqualTo("{}");
	}

	@Test
	void readsAnEntryWithoutHeadersAsAnEventWithNone() {
		List<String> arguments = new ArrayList<>(List.of("data", "x"));
		assertThat(Entries.toEvent("1-0", fields(arguments)).headers()).isEmpty();
	}

	@Test
	void leavesOutAHeaderThatIsNotTextAndKeepsTheEvent() {
		Map<byte[], byte[]> fields = fields(List.of("data", "x", "h:traceparent", "00-ab-cd-01"));
		fields.put(bytes("h:broken"), new byte[] { (byte) 0xC3, (byte) 0x28 });
		fields.put(bytes("unknown"), bytes("ignored"));
		SseBackplaneEvent event = Entries.toEvent("1-0", fields);
		assertThat(event.headers()).containsExactly(Map.entry("traceparent", "00-ab-cd-01"));
		assertThat(event.data()).isEqualTo("x");
	}

	@Test
	void writesAndReadsBackWhatAnEntryDoesToTheHeldPlaceOfAnEventPublishedInATransaction() {
		Instant until = Instant.ofEpochMilli(1_800_000_000_000L);
		SseBackplaneEvent event = new SseBackplaneEvent(null, "order", "{}", null, null, null, Map.of());
		for (SseBackplaneEvent entry : List.of(SseBackplaneEvent.held(until), event.filling("17-3"),
				SseBackplaneEvent.discarding("17-3"))) {
			List<String> arguments = new ArrayList<>();
			Entries.put(arguments, entry);
			assertThat(Entries.toEvent("18-0", fields(arguments)).place()).isEqualTo(entry.place());
		}
		assertThat(Entries.toEvent("18-0", fields(List.of("fills", "17-3", "data", "{}"))).data()).isEqualTo("{}");
		assertThatIllegalArgumentException().isThrownBy(() -> Entries.toEvent("18-0", fields(List.of("fills", "x"))));
		assertThatIllegalArgumentException().isThrownBy(() -> Entries.toEvent("18-0", fields(List.of("held", "soon"))));
	}

	private static Map<byte[], byte[]> fields(List<String> arguments) {
		Map<byte[], byte[]> fields = new LinkedHashMap<>();
		for (int i = 0; i < arguments.size(); i += 2) {
			fields.put(bytes(arguments.get(i)), bytes(arguments.get(i + 1)));
		}
		return fields;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
