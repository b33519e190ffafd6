package io.github.ssestarter.internal.broadcast;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A writing thread's batch of frames: a list of what was added since it was cleared, in order.
 */
class FrameBatchTests {

	private final FrameBatch batch = new FrameBatch(64);

	@Test
	void holdsOneFrameOrManyInOrderAndNothingOnceCleared() {
		assertThat(this.batch).isEmpty();
		this.batch.add(frame("a"));
		assertThat(this.batch).containsExactly(frame("a"));
		for (String data : new String[] { "b", "c", "d" }) {
			this.batch.add(frame(data));
		}
		assertThat(this.batch).containsExactly(frame("a"), frame("b"), frame("c"), frame("d"));
		this.batch.clear();
		assertThat(this.batch).isEmpty();
		this.batch.add(frame("e"));
		assertThat(this.batch).containsExactly(frame("e"));
	}

	@Test
	void refusesAnIndexOutsideWhatItHolds() {
		this.batch.add(frame("a"));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> this.batch.get(1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> this.batch.get(-1));
	}

	private static byte[] frame(String data) {
		return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

}
