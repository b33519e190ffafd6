package io.github.ssestarter.internal.broadcast;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event ids of topics in memory.
 */
class EventIdsTests {

	@Test
	void givesBroadcastersStartedInTheSameMillisecondDifferentEpochs() {
		Set<String> epochs = new HashSet<>();
		for (int i = 0; i < 1_000; i++) {
			epochs.add(EventIds.startingNow().format(0));
		}
		// A thousand broadcasters started within a few milliseconds, which the time alone would give
		// a handful of epochs: the random part (1.6 million values) leaves at most a rare clash.
		assertThat(epochs).hasSizeGreaterThan(990);
	}

	@Test
	void readsItsOwnIdsAndRecognisesThoseOfAnotherEpoch() {
		EventIds ids = EventIds.startingNow();
		EventIds other = EventIds.startingNow();
		assertThat(ids.sequenceOf(ids.format(42))).isEqualTo(42);
		assertThat(ids.sequenceOf(other.format(42))).isEqualTo(EventIds.FOREIGN);
		assertThat(ids.isFromAnotherEpoch(other.format(42))).isTrue();
	}

}
