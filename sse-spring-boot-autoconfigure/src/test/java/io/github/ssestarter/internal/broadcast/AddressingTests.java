package io.github.ssestarter.internal.broadcast;

import java.time.Duration;
import java.util.List;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseOverflowPolicy;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Addressed events name users as their principals do: a name that no principal has (empty, or
 * with a control character that could pass for a separator where the audience is stored) is
 * refused, the same with or without a backplane.
 */
class AddressingTests {

	private final DefaultSseBroadcaster broadcaster = new DefaultSseBroadcaster(new SseFrameEncoder(String::valueOf),
			new BroadcastSettings(10, Duration.ofMinutes(1), "reset", 10, SseOverflowPolicy.DISCONNECT),
			SseListener.none());

	@Test
	void refusesAUserNameWithAControlCharacter() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.publishToUser("t", "alice\0bob", SseItem.of("x")))
			.withMessage("user 'alice?bob' is empty or holds a control character");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.publishToUsers("t", List.of("alice", "b\nob"), SseItem.of("x")));
	}

	@Test
	void refusesAnEmptyUserName() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.publishToUser("t", "", SseItem.of("x")));
	}

}
