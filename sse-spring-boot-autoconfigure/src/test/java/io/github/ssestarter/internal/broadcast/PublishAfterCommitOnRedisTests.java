package io.github.ssestarter.internal.broadcast;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@link PublishAfterCommitTests} with topics shared through Redis (127.0.0.1:6379): the event's
 * place is held in the topic's Redis stream as it is published, and filled or left empty there when
 * the PostgreSQL transaction completes. Run by the {@code with-postgresql} Surefire execution.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
				"spring.datasource.username=postgres", "spring.datasource.password=",
				"spring.datasource.hikari.maximum-pool-size=4", "sse.backplane=redis",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379" })
class PublishAfterCommitOnRedisTests extends PublishAfterCommitTests {

}
