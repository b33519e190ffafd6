package io.github.ssestarter.observation;

import java.time.Duration;
import java.util.UUID;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.ssestarter.observation.TracingTestConfiguration.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Observations of publishing, delivery and streams, recorded by Micrometer's test tracer and by
 * Actuator's meters, with clients over real HTTP.
 */
@SpringBootTest(classes = ObservationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.heartbeat=200ms")
class ObservationIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private static final String ENDPOINT = "/topics/{topic}";

	/** A topic of this test only: the tracer and the meters are shared by the tests. */
	private final String topic = "traced-" + UUID.randomUUID();

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Autowired
	ObservationRegistry observations;

	@Autowired
	SimpleTracer tracer;

	@Autowired
	MeterRegistry meters;

	@Test
	void tracesAPublicationAndItsDeliveryInTheTraceOfThePublishingCode() {
		try (SseTestClient.Stream stream = open()) {
			awaitSubscribers(1);
			Observation work = Observation.start("test.work", this.observations);
			String id;
			try (Observation.Scope scope = work.openScope()) {
				id = this.broadcaster.publish(this.topic, "hello");
			}
			finally {
				work.stop();
			}
			assertThat(next(stream).data()).isEqualTo("hello");

			SimpleSpan publish = span(this.tracer, "sse publish", "sse.topic", this.topic).orElseThrow();
			SimpleSpan workSpan = this.tracer.getSpans().stream()
				.filter((span) -> span.getSpanId().equals(publish.getParentId()))
				.findFirst().orElseThrow(() -> new AssertionError("the publication's span has no parent"));
			assertThat(workSpan.getName()).isEqualTo("test.work");
			assertThat(publish.getTraceId()).isEqualTo(workSpan.getTraceId());
			assertThat(publish.getKind()).isEqualTo(Span.Kind.PRODUCER);
			assertThat(publish.getTags()).containsEntry("backplane", "memory").containsEntry("addressed", "false")
				.containsEntry("exception", "none").containsEntry("sse.event.id", id);

			SimpleSpan delivery = span(this.tracer, "sse delivery", "sse.event.id", id).orElseThrow();
			assertThat(delivery.getKind()).isEqualTo(Span.Kind.CONSUMER);
			assertThat(delivery.getTraceId()).isEqualTo(workSpan.getTraceId());
			assertThat(delivery.getParentId()).isEqualTo(publish.getSpanId());
			assertThat(delivery.getTags()).containsEntry("backplane", "memory").containsEntry("addressed", "false")
				.containsEntry("sse.topic", this.topic).containsEntry("sse.subscribers", "1");
		}
	}

	@Test
	void observesEachEventsDeliveryOnceHoweverManySubscribersThereAre() {
		try (SseTestClient.Stream first = open(); SseTestClient.Stream second = open();
				SseTestClient.Stream third = open()) {
			awaitSubscribers(3);
			String id = this.broadcaster.publish(this.topic, "to all");
			for (SseTestClient.Stream stream : new SseTestClient.Stream[] { first, second, third }) {
				assertThat(next(stream).data()).isEqualTo("to all");
			}
			assertThat(this.tracer.getSpans()).filteredOn((span) -> id.equals(span.getTags().get("sse.event.id"))
					&& "sse delivery".equals(span.getName()))
				.singleElement()
				.satisfies((delivery) -> assertThat(delivery.getTags()).containsEntry("sse.subscribers", "3"));
		}
	}

	@Test
	void tellsAddressedPublicationsFromOthersByALowCardinalityKeyValue() {
		try (SseTestClient.Stream alice = open(TestUserFilter.HEADER, "alice")) {
			awaitSubscribers(1);
			String id = this.broadcaster.publishToUser(this.topic, "alice", SseItem.of("for alice"));
			assertThat(next(alice).data()).isEqualTo("for alice");
			assertThat(span(this.tracer, "sse publish", "sse.event.id", id)).get()
				.satisfies((publish) -> assertThat(publish.getTags()).containsEntry("addressed", "true"));
			assertThat(span(this.tracer, "sse delivery", "sse.event.id", id)).get()
				.satisfies((delivery) -> assertThat(delivery.getTags()).containsEntry("addressed", "true"));
			assertThat(this.meters.get("sse.publish").tag("addressed", "true").tag("backplane", "memory").timer()
				.count()).isPositive();
		}
	}

	@Test
	void recordsWhatAFailedPublicationThrew() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.publish(this.topic, SseItem.of("x").withId("an-id-of-its-own")));
		assertThat(span(this.tracer, "sse publish", "sse.topic", this.topic)).get().satisfies((publish) -> {
			assertThat(publish.getTags()).containsEntry("exception", "IllegalArgumentException")
				.doesNotContainKey("sse.event.id");
			assertThat(publish.getError()).isInstanceOf(IllegalArgumentException.class);
		});
	}

	@Test
	void observesAStreamFromItsOpeningToItsEndWithItsOutcome() {
		SseTestClient.Stream stream = open();
		awaitSubscribers(1);
		LongTaskTimer open = this.meters.get("sse.stream.active").tag("endpoint", ENDPOINT).longTaskTimer();
		await().atMost(PATIENCE).until(() -> open.activeTasks() >= 1);
		assertThat(span(this.tracer, "sse stream " + ENDPOINT, "sse.topic", this.topic))
			.as("no span of the stream is finished while it is open").isEmpty();

		stream.close();
		await().atMost(PATIENCE).until(() -> span(this.tracer, "sse stream " + ENDPOINT, "sse.topic", this.topic)
			.isPresent());
		SimpleSpan ended = span(this.tracer, "sse stream " + ENDPOINT, "sse.topic", this.topic).orElseThrow();
		assertThat(ended.getTags()).containsEntry("endpoint", ENDPOINT).containsEntry("outcome", "client-closed");
		// A child of the span of the request that opened it, which is named once the request completes.
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.tracer.getSpans())
			.filteredOn((span) -> span.getSpanId().equals(ended.getParentId()))
			.singleElement()
			.satisfies((request) -> {
				assertThat(request.getName()).isEqualTo("http get " + ENDPOINT);
				assertThat(request.getTraceId()).isEqualTo(ended.getTraceId());
			}));
	}

	@Test
	void recordsTheOutcomeOfAStreamTheServerEnds() {
		try (SseTestClient.Stream stream = open()) {
			awaitSubscribers(1);
			this.broadcaster.closeSubscribers(this.topic);
			await().atMost(PATIENCE).until(() -> span(this.tracer, "sse stream " + ENDPOINT, "sse.topic", this.topic)
				.isPresent());
			assertThat(span(this.tracer, "sse stream " + ENDPOINT, "sse.topic", this.topic)).get()
				.satisfies((ended) -> assertThat(ended.getTags()).containsEntry("outcome", "completed"));
			Timer completed = this.meters.get("sse.stream").tag("endpoint", ENDPOINT).tag("outcome", "completed")
				.timer();
			assertThat(completed.count()).isPositive();
		}
	}

	private SseTestClient.Stream open(String... headers) {
		return new SseTestClient(this.port).open("/topics/" + this.topic, headers);
	}

	private void awaitSubscribers(int count) {
		await().atMost(PATIENCE).until(() -> this.broadcaster.subscriberCount(this.topic) == count);
	}

	private static SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).as("an event before the stream ends").isNotNull();
		return event;
	}

}
