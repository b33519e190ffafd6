package io.github.ssestarter.internal.broadcast;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;

import static org.awaitility.Awaitility.await;

/**
 * The default overflow policy: a subscriber that falls too far behind is disconnected.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.subscriber.queue-capacity=16", "sse.executor.max-platform-threads=1" })
class DisconnectingSlowSubscriberTests extends SlowSubscriberTests {

	@Test
	@Override
	void dealsWithTheSlowClientWhileTheFastOneReceivesEveryEvent() throws Exception {
		assertContiguous(publishWhileAFastClientReads(
				() -> await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount("slow") == 1)));
	}

}
