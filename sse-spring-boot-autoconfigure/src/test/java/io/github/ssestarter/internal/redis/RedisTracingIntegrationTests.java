package io.github.ssestarter.internal.redis;

import java.util.Optional;
import java.util.UUID;

import io.github.ssestarter.internal.broadcast.BroadcastTestApplicationAccess;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.observation.TracingTestConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static io.github.ssestarter.observation.TracingTestConfiguration.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace of a publication continued by the instance that delivers the event, through Redis:
 * each instance has a tracer of its own, as separate processes would.
 */
class RedisTracingIntegrationTests {

	private final RedisInstances instances = new RedisInstances();

	/** New for each test, since the local Redis is shared and streams outlive the test run. */
	private final String topic = "traced-" + UUID.randomUUID();

	@AfterEach
	void stopInstances() {
		this.instances.close();
	}

	@Test
	void deliversOnAnotherInstanceInThePublishersTrace() {
		Instance a = this.instances.start(TracingApplication.class, 6379);
		Instance b = this.instances.start(TracingApplication.class, 6379);
		try (SseTestClient.Stream stream = b.client().open("/topics/" + this.topic)) {
			await().atMost(RedisInstances.PATIENCE).until(() -> b.broadcaster().subscriberCount(this.topic) == 1);
			Observation work = Observation.start("test.work", a.context().getBean(ObservationRegistry.class));
			String id;
			try (Observation.Scope scope = work.openScope()) {
				id = a.broadcaster().publish(this.topic, "traced");
			}
			finally {
				work.stop();
			}
			assertThat(next(stream).data()).isEqualTo("traced");

			SimpleSpan publish = span(tracer(a), "sse publish", "sse.event.id", id).orElseThrow();
			assertThat(publish.getTags()).containsEntry("backplane", "redis").containsEntry("sse.topic", this.topic);
			// Its span is finished once every subscriber was woken, which may be after the client read it.
			SimpleSpan delivery = await().atMost(RedisInstances.PATIENCE)
				.until(() -> span(tracer(b), "sse delivery", "sse.event.id", id), Optional::isPresent)
				.orElseThrow();
			assertThat(delivery.getKind()).isEqualTo(Span.Kind.CONSUMER);
			assertThat(delivery.getTraceId()).isEqualTo(publish.getTraceId());
			assertThat(delivery.getParentId()).isEqualTo(publish.getSpanId());
			assertThat(delivery.getTags()).containsEntry("backplane", "redis").containsEntry("sse.subscribers", "1");
			assertThat(span(tracer(a), "sse delivery", "sse.event.id", id))
				.as("no delivery where nobody follows the topic").isEmpty();
		}
	}

	@Test
	void deliversAnEventPublishedInATransactionInThePublishersTraceOnceItCommits() {
		Instance a = this.instances.start(TracingApplication.class, 6379);
		Instance b = this.instances.start(TracingApplication.class, 6379);
		TransactionTemplate transactions = new TransactionTemplate(new ResourcelessTransactions());
		try (SseTestClient.Stream stream = b.client().open("/topics/" + this.topic)) {
			await().atMost(RedisInstances.PATIENCE).until(() -> b.broadcaster().subscriberCount(this.topic) == 1);
			Observation work = Observation.start("test.work", a.context().getBean(ObservationRegistry.class));
			String id;
			try (Observation.Scope scope = work.openScope()) {
				id = transactions.execute((status) -> a.broadcaster().publish(this.topic, "committed"));
			}
			finally {
				work.stop();
			}
			assertThat(next(stream).lastEventId()).isEqualTo(id);

			SimpleSpan publish = span(tracer(a), "sse publish", "sse.event.id", id).orElseThrow();
			SimpleSpan delivery = await().atMost(RedisInstances.PATIENCE)
				.until(() -> span(tracer(b), "sse delivery", "sse.event.id", id), Optional::isPresent)
				.orElseThrow();
			assertThat(delivery.getTraceId()).isEqualTo(publish.getTraceId());
			assertThat(delivery.getParentId()).isEqualTo(publish.getSpanId());
		}
	}

	private static SimpleTracer tracer(Instance instance) {
		return instance.context().getBean(SimpleTracer.class);
	}

	/** The broadcast test application with the test tracer. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ BroadcastTestApplicationAccess.class, TracingTestConfiguration.class })
	static class TracingApplication {

	}

}
