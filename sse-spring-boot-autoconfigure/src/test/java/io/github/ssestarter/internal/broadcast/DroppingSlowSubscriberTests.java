package io.github.ssestarter.internal.broadcast;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drop-oldest overflow policy: a subscriber that falls too far behind stays connected and
 * skips what it cannot take; its backlog never exceeds the topic's ring.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.subscriber.queue-capacity=16", "sse.subscriber.overflow-policy=drop-oldest",
				"sse.replay.capacity=32", "sse.executor.max-platform-threads=1" })
class DroppingSlowSubscriberTests extends SlowSubscriberTests {

	@Test
	@Override
	void dealsWithTheSlowClientWhileTheFastOneReceivesEveryEvent() throws Exception {
		assertContiguous(publishWhileAFastClientReads(() -> {
			// The slow clients are still subscribed, holding nothing of its own: what it has not
			// received lives only in the topic's ring of 33 events.
			assertThat(this.broadcaster.subscriberCount("slow")).isEqualTo(SLOW_CLIENTS + 1);
			assertThat(this.broadcaster.bufferedEventCount("slow")).isLessThanOrEqualTo(33);
		}));
	}

}
