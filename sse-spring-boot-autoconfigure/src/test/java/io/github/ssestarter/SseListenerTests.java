package io.github.ssestarter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.internal.broadcast.BroadcastSettings;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SseListener#composite}.
 */
class SseListenerTests {

	private final SseListener failing = new SseListener() {

		@Override
		public void eventPublished(String topic) {
			throw new IllegalStateException("listener broke on purpose");
		}

	};

	@Test
	void carriesOnPastAListenerThatThrowsEvenWhenItIsTheOnlyOne() {
		assertThatNoException().isThrownBy(() -> SseListener.composite(List.of(this.failing)).eventPublished("t"));
	}

	@Test
	void tellsTheOtherListenersWhenOneThrows() {
		List<String> told = new ArrayList<>();
		SseListener recording = new SseListener() {

			@Override
			public void eventPublished(String topic) {
				told.add(topic);
			}

		};
		SseListener.composite(List.of(this.failing, recording)).eventPublished("t");
		assertThat(told).containsExactly("t");
	}

	@Test
	void publishesOnceAndReturnsTheIdWhenAListenerThrows() {
		DefaultSseBroadcaster broadcaster = new DefaultSseBroadcaster(new SseFrameEncoder(String::valueOf),
				new BroadcastSettings(10, Duration.ofMinutes(1), "reset", 10, SseOverflowPolicy.DISCONNECT),
				SseListener.composite(List.of(this.failing)));
		String id = broadcaster.publish("t", "x");
		assertThat(id).endsWith("-1");
		assertThat(broadcaster.bufferedEventCount("t")).isEqualTo(1);
	}

}
