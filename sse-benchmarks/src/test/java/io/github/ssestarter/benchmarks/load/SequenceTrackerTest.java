package io.github.ssestarter.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTest {

	private final SequenceTracker tracker = new SequenceTracker();

	@Test
	void countsSkippedNumbersAndDuplicates() {
		this.tracker.expectAfter(10);
		assertThat(this.tracker.accept(11)).isZero();
		assertThat(this.tracker.accept(14)).isEqualTo(2);
		assertThat(this.tracker.accept(14)).isEqualTo(SequenceTracker.DUPLICATE);
		assertThat(this.tracker.accept(12)).isEqualTo(SequenceTracker.DUPLICATE);
		assertThat(this.tracker.last()).isEqualTo(14);
	}

	@Test
	void takesTheFirstNumberAsItComesWhenNothingWasExpected() {
		assertThat(this.tracker.hasLast()).isFalse();
		assertThat(this.tracker.accept(500)).isZero();
		assertThat(this.tracker.accept(501)).isZero();
	}

}
